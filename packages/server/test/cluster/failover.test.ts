import type { TypingChanged } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../factories.js';
import { ReliableClient } from '../support/reliable-client.js';
import {
  buildServer,
  dropDatabase,
  post,
  query,
  startInstance,
  type Instance,
} from './processes.js';
import { createDatabase } from '../../../../tools/local.mjs';
import { startWithProof } from '../pow.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const redisUrl = process.env.TEST_REDIS_URL ?? '';
const dbName = `parley_failover_${process.pid}`;
let dbUrl: string;
let a: Instance;
let b: Instance;
const clients: ReliableClient[] = [];

beforeAll(async () => {
  buildServer();
  dbUrl = await createDatabase(adminUrl, dbName);
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `parley-test-${process.pid}-${Date.now()}`,
    JWT_SECRET: 'failover-secret-failover-secret-failover',
  };
  a = await startInstance(env);
  b = await startInstance(env);
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const instance of [a, b]) instance?.process.kill('SIGKILL');
  await dropDatabase(adminUrl, dbName);
});

const nextTyping = (client: ReliableClient) =>
  new Promise<TypingChanged>((resolve) => client.socket?.once('typing.changed', resolve));

describe('two instances on one PostgreSQL and one Redis', () => {
  it('report themselves ready with database and Redis', async () => {
    for (const instance of [a, b]) {
      const res = await fetch(`${instance.url}/readyz`);
      expect(await res.json()).toEqual({
        status: 'ready',
        database: true,
        redis: true,
        files: { storage: 'local', reachable: true },
      });
      // Instances time their queries (start-up already ran some).
      const metrics = await (await fetch(`${instance.url}/metrics`)).text();
      const timed = /parley_db_query_duration_seconds_count (\d+)/.exec(metrics)?.[1];
      expect(Number(timed)).toBeGreaterThan(0);
    }
  });

  it('count login attempts together: guesses spread over both instances hit one limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${i % 2 ? a.url : b.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'target@example.com', password: `guess ${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
  });

  it('a visitor on A and an agent on B chat; A is killed; every message arrives once, in order', async () => {
    const admin = await post<{ accessToken: string }>(`${a.url}/api/auth/register`, {
      name: 'Agent on B',
      email: 'b@example.com',
      password: 'failover password',
    });
    const agent = new ReliableClient([b.url], '/agent', { token: admin.accessToken });
    clients.push(agent);
    await agent.connect();

    const session = await post<{ visitorToken: string }>(`${a.url}/api/visitors/session`, {});
    const visitor = new ReliableClient([a.url, b.url], '/visitor', {
      visitorToken: session.visitorToken,
    });
    clients.push(visitor);
    await visitor.connect();
    const started =
      visitor.socket &&
      (await startWithProof(visitor.socket, {
        content: 'Hello from A',
        clientId: crypto.randomUUID(),
      }));
    if (!started?.ok) throw new Error('start failed');
    const conversationId: string = started.data.conversation.id;
    visitor.track(conversationId);
    await visitor.sync();
    // The agent on B sees the chat and its first message, through Redis.
    await waitFor(() => (agent.shown.get(conversationId)?.length ?? 0) >= 1);
    expect(started.data.conversation.status).toBe('open');

    // Typing crosses instances both ways.
    const peek = nextTyping(agent);
    visitor.socket?.emit('typing.set', { conversationId, isTyping: true, draft: 'typing on A' });
    expect(await peek).toMatchObject({ sender: 'visitor', draft: 'typing on A' });
    const agentTyping = nextTyping(visitor);
    agent.socket?.emit('typing.set', { conversationId, isTyping: true });
    expect(await agentTyping).toMatchObject({ sender: 'agent', isTyping: true });

    // Messages flow both ways; A is killed a third of the way through.
    const sent: string[] = [];
    // Thirty each way at a brisk typing pace, under the per-sender rate limits.
    const rounds = 30;
    for (let i = 0; i < rounds; i++) {
      sent.push(visitor.send(conversationId, `visitor ${i}`));
      sent.push(agent.send(conversationId, `agent ${i}`));
      if (i === rounds / 3) a.process.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(
      () => visitor.outbox.size === 0 && agent.outbox.size === 0 && visitor.connected,
      30_000,
    );
    await Promise.all([visitor.sync(), agent.sync()]);

    const rows = await query<{ seq: number; client_id: string | null; id: string }>(
      dbUrl,
      'select id, seq, client_id from messages where conversation_id = $1 order by seq',
      [conversationId],
    );
    const stored = rows.filter((r) => r.client_id && sent.includes(r.client_id));
    const seqs = rows.map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(stored).toHaveLength(sent.length);
    expect(new Set(stored.map((r) => r.client_id)).size).toBe(sent.length);
    for (const client of [visitor, agent]) {
      const shown = client.shown.get(conversationId) ?? [];
      expect(shown.map((m) => m.id)).toEqual(rows.map((r) => r.id));
    }
    console.log(
      `failover: sent ${sent.length}, stored ${stored.length}, shown visitor ${visitor.shown.get(conversationId)?.length} / agent ${agent.shown.get(conversationId)?.length} of ${rows.length} rows, ` +
        `duplicate rows 0, repeats suppressed ${visitor.repeats + agent.repeats}, longest reconnect ${Math.max(0, ...visitor.reconnects)} ms`,
    );
  });
});

describe('SIGTERM', () => {
  it('stops accepting, lets clients reconnect elsewhere, and exits cleanly in under 10 seconds', async () => {
    const session = await post<{ visitorToken: string }>(`${b.url}/api/visitors/session`, {});
    const { io } = await import('socket.io-client');
    const socket = io(`${b.url}/visitor`, {
      transports: ['websocket'],
      auth: { visitorToken: session.visitorToken },
      reconnectionDelay: 50,
    });
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const started = Date.now();
    b.process.kill('SIGTERM');
    // A transport close, so the client's own reconnection takes it to another instance.
    expect(await reason).toBe('transport close');
    expect(await b.exited).toBe(0);
    const took = Date.now() - started;
    expect(took).toBeLessThan(10_000);
    expect(socket.active).toBe(true);
    socket.close();
    console.log(`SIGTERM: exited 0 after ${took} ms`);
  });
});
