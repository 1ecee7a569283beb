import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ParleyServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { limits } from '../src/services/rate-limit.js';
import { attack as attackOn } from './attack-kit.js';
import {
  api,
  connectAgent,
  connectVisitor,
  createAdmin,
  createVisitor,
  handshakeError,
  newClientId,
  openSocket,
  startVisitorChat,
  waitFor,
  type AgentClient,
  type SignedInAgent,
  type VisitorClient,
} from './factories.js';
import { track, useServer } from './harness.js';

/**
 * The attack suite, continued: floods of the visitor actions that had no limit, and sockets
 * that got past every limit. Each refusal changes nothing in the database.
 */
const server = useServer({ shared: true });
const attack = (run: () => Promise<void>) => attackOn(server.database, run);

let admin: SignedInAgent;
let agentSocket: AgentClient;

beforeAll(async () => {
  admin = await createAdmin(server.current);
  agentSocket = await connectAgent(server.current, admin.token);
});

/** A visitor with the widget open. */
async function visitor(): Promise<{ token: string; socket: VisitorClient }> {
  const session = await createVisitor(server.current);
  return {
    token: session.visitorToken,
    socket: await connectVisitor(server.current, session.visitorToken),
  };
}

const page = (i: number) => ({ url: `https://shop.example.com/p/${i}`, title: `Page ${i}` });

/** A refusal for going over a limit: the wait is in the details, within the limit's window. */
function expectRateLimited(error: unknown, windowMs: number) {
  expect(error).toMatchObject({
    code: 'rate_limited',
    message: expect.stringMatching(/^Too many requests: try again in /),
  });
  const { retryAfterMs } = (error as { details: { retryAfterMs: number } }).details;
  expect(retryAfterMs).toBeGreaterThan(0);
  expect(retryAfterMs).toBeLessThanOrEqual(windowMs);
}

describe('every visitor action has a limit', () => {
  it('1. a page-view flood is refused past the limit, storing nothing more', async () => {
    const { socket } = await visitor();
    const allowed = limits.pageViewsPerVisitor.limit;
    for (let i = 0; i < allowed; i++) {
      expect(await socket.timeout(5000).emitWithAck('page.view', page(i))).toEqual({
        ok: true,
        data: null,
      });
    }
    await attack(async () => {
      const replies = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          socket.timeout(5000).emitWithAck('page.view', page(allowed + i)),
        ),
      );
      for (const reply of replies) {
        expect(reply.ok).toBe(false);
        if (!reply.ok) expectRateLimited(reply.error, limits.pageViewsPerVisitor.windowMs);
      }
    });
  });

  it('2. a rating flood is refused past the limit, changing nothing', async () => {
    const chat = await startVisitorChat(server.current, 'Rate me');
    const conversationId = chat.started.conversation.id;
    for (let i = 0; i < limits.ratingsPerVisitor.limit; i++) {
      const reply = await chat.socket
        .timeout(5000)
        .emitWithAck('conversation.rate', { conversationId, rating: i % 2 ? 'up' : 'down' });
      expect(reply.ok).toBe(true);
    }
    await attack(async () => {
      const replies = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          chat.socket.timeout(5000).emitWithAck('conversation.rate', {
            conversationId,
            rating: 'down',
            comment: `flood ${i}`,
          }),
        ),
      );
      for (const reply of replies) {
        expect(reply.ok).toBe(false);
        if (!reply.ok) expectRateLimited(reply.error, limits.ratingsPerVisitor.windowMs);
      }
    });
  });

  it('3. a flood of PATCH /api/visitors/me is refused with 429 and Retry-After', async () => {
    const { token } = await visitor();
    for (let i = 0; i < limits.profileUpdatesPerVisitor.limit; i++) {
      const res = await api(server.current, 'PATCH', '/api/visitors/me', {
        token,
        body: { name: `Name ${i}` },
      });
      expect(res.status).toBe(200);
    }
    await attack(async () => {
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          api(server.current, 'PATCH', '/api/visitors/me', {
            token,
            body: { name: `Flood ${i}`, email: `flood${i}@example.com` },
          }),
        ),
      );
      for (const res of replies) {
        expect(res.status).toBe(429);
        expectRateLimited(res.body.error, limits.profileUpdatesPerVisitor.windowMs);
        const retryAfter = Number(res.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBe(Math.ceil(res.body.error.details.retryAfterMs / 1000));
      }
    });
  });

  it('4. a sync loop is cut off', async () => {
    const { socket } = await visitor(); // its connection synced once
    await attack(async () => {
      const replies = await Promise.all(
        Array.from({ length: 200 }, () =>
          socket.timeout(5000).emitWithAck('sync', { conversations: {} }),
        ),
      );
      expect(replies.filter((r) => r.ok)).toHaveLength(limits.syncsPerVisitor.limit - 1);
      const refused = replies.find((r) => !r.ok);
      if (refused && !refused.ok) expectRateLimited(refused.error, limits.syncsPerVisitor.windowMs);
    });
  });

  it('5. a flood of read marks is refused past the limit, changing nothing', async () => {
    const chat = await startVisitorChat(server.current, 'Read me');
    const body = { conversationId: chat.started.conversation.id, seq: 1 };
    const token = chat.session.visitorToken;
    for (let i = 0; i < limits.readsPerVisitor.limit; i++) {
      expect(
        (await api(server.current, 'POST', '/api/messages/read', { token, body })).status,
      ).toBe(204);
    }
    await attack(async () => {
      const res = await api(server.current, 'POST', '/api/messages/read', { token, body });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });
});

/** Resolves with the socket's connect, or its connect_error. */
function outcome(socket: Socket): Promise<'connected' | { code: unknown }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: { code?: unknown } }) =>
      resolve({ code: err.data?.code }),
    );
  });
}

describe('sockets', () => {
  it('6. the default namespace refuses every socket', () =>
    attack(async () => {
      for (const auth of [{}, { token: admin.token }]) {
        const socket = track(
          io(server.current.url, {
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
            auth,
          }),
        );
        expect(await outcome(socket)).toEqual({ code: 'not_found' });
      }
    }));

  it('7. a command sent to the wrong namespace, or no command at all, gets an error ack', async () => {
    const { socket } = await visitor();
    const raw = socket as unknown as Socket;
    const unknown = {
      ok: false,
      error: { code: 'unknown_command', message: 'No such command on this namespace' },
    };
    await attack(async () => {
      expect(
        await raw.timeout(2000).emitWithAck('conversation.join', { conversationId: newClientId() }),
      ).toEqual(unknown);
      expect(await raw.timeout(2000).emitWithAck('status.set', { status: 'online' })).toEqual(
        unknown,
      );
      expect(await raw.timeout(2000).emitWithAck('drop.tables', {})).toEqual(unknown);
      expect(await raw.timeout(2000).emitWithAck('__proto__', {})).toEqual(unknown);
      const agentRaw = agentSocket as unknown as Socket;
      expect(await agentRaw.timeout(2000).emitWithAck('page.view', page(1))).toEqual(unknown);
      expect(await agentRaw.timeout(2000).emitWithAck('conversation.rate', {})).toEqual(unknown);
    });
    // The sockets are still of use afterwards.
    const synced = await socket.timeout(5000).emitWithAck('sync', { conversations: {} });
    expect(synced.ok).toBe(true);
  });
});

describe('sockets per address', () => {
  const MAX = 3;
  let capped: ParleyServer;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      MAX_SOCKETS_PER_IP: String(MAX),
    });
    capped = await startServer(config, createLogger('silent', false), {
      database: server.database,
    });
  });
  afterAll(() => capped.close());

  it('8. an address holds at most MAX_SOCKETS_PER_IP sockets open, across namespaces', async () => {
    const { visitorToken } = await createVisitor(capped);
    // Refused handshakes hold nothing.
    for (let i = 0; i < 5; i++) {
      const bad = openSocket(capped, '/visitor', { visitorToken: 'forged' });
      expect((await handshakeError(bad)).data).toEqual({ code: 'unauthorized' });
      bad.disconnect();
    }
    const held = [
      await connectAgent(capped, admin.token),
      await connectVisitor(capped, visitorToken),
      await connectVisitor(capped, visitorToken),
    ];
    await attack(async () => {
      for (const namespace of ['/visitor', '/agent'] as const) {
        const auth = namespace === '/agent' ? { token: admin.token } : { visitorToken };
        const extra = openSocket(capped, namespace, auth);
        expect(await outcome(extra)).toEqual({ code: 'rate_limited' });
        extra.disconnect();
      }
    });
    // A socket that goes frees its place.
    held.pop()?.disconnect();
    await waitFor(() => capped.io.of('/visitor').sockets.size === 1);
    const again = openSocket(capped, '/visitor', { visitorToken });
    expect(await outcome(again)).toBe('connected');
    for (const socket of [...held, again]) socket.disconnect();
  });
});
