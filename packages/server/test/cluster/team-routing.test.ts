import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../../tools/local.mjs';
import { buildServer, dropDatabase, startInstance, type Instance } from './processes.js';
import { startWithProof } from '../pow.js';

// Routing by team across two instances (issue 34): agents of each team on different instances,
// visitors on either; presence is shared through Redis and the routing lock through PostgreSQL.
const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const redisUrl = process.env.TEST_REDIS_URL ?? '';
const dbName = `parley_teams_${process.pid}`;
let a: Instance;
let b: Instance;
const sockets: Socket[] = [];

beforeAll(async () => {
  buildServer();
  const env = {
    DATABASE_URL: await createDatabase(adminUrl, dbName),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `parley-test-${process.pid}-${Date.now()}`,
    JWT_SECRET: 'teams-secret-teams-secret-teams-secret-teams',
  };
  a = await startInstance(env);
  b = await startInstance(env);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const instance of [a, b]) instance?.process.kill('SIGKILL');
  await dropDatabase(adminUrl, dbName);
});

async function call<T>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

function connect(url: string, namespace: '/agent' | '/visitor', auth: object): Promise<Socket> {
  const socket = io(`${url}${namespace}`, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Conversation = {
  id: string;
  assigneeId: string | null;
  teamId: string | null;
  status: string;
};

describe('routing by team across two instances', () => {
  it("gives each team's chats to its own agents wherever they are connected", async () => {
    const password = 'a long unusual passphrase 44';
    const { accessToken: admin } = await call<{ accessToken: string }>(
      a.url,
      'POST',
      '/api/auth/register',
      {
        name: 'Ada',
        email: 'ada@example.com',
        password,
      },
    );
    const agent = async (name: string, email: string) => {
      // Invited, the person chooses their password through the link, and is signed in.
      const { token } = await call<{ token: string }>(
        a.url,
        'POST',
        '/api/invitations',
        { name, email, capacity: 1, sendEmail: false },
        admin,
      );
      return call<{ accessToken: string; user: { id: string } }>(
        a.url,
        'POST',
        '/api/invitations/accept',
        { token, password },
      );
    };
    const carol = await agent('Carol Billing', 'carol@example.com');
    const tom = await agent('Tom Technical', 'tom@example.com');
    const team = async (name: string, memberId: string) =>
      (
        await call<{ team: { id: string } }>(
          a.url,
          'POST',
          '/api/teams',
          { name, memberIds: [memberId] },
          admin,
        )
      ).team.id;
    const billing = await team('Billing', carol.user.id);
    const technical = await team('Technical', tom.user.id);
    await call(
      a.url,
      'POST',
      '/api/sites',
      { name: 'Shop', key: 'shop', teamIds: [billing, technical], departmentChoice: true },
      admin,
    );
    // The other instance reads sites and teams within seconds of a change made here.
    await until(async () => {
      const res = await fetch(`${b.url}/api/settings/widget/public?site=shop`);
      return (
        res.ok &&
        ((await res.json()) as { config: { departments: unknown[] } }).config.departments.length ===
          2
      );
    });

    // Carol on A, Tom on B.
    await connect(a.url, '/agent', { token: carol.accessToken });
    await connect(b.url, '/agent', { token: tom.accessToken });

    const chat = async (via: Instance, teamId: string, content: string) => {
      const session = await call<{ visitorToken: string }>(
        via.url,
        'POST',
        '/api/visitors/session',
        {
          site: 'shop',
        },
      );
      const socket = await connect(via.url, '/visitor', { visitorToken: session.visitorToken });
      const reply = (await startWithProof(socket, { content, clientId: randomUUID(), teamId })) as {
        ok: boolean;
        data: { conversation: { id: string } };
      };
      expect(reply.ok).toBe(true);
      return reply.data.conversation.id;
    };
    const conversation = (id: string) =>
      call<{ conversation: Conversation }>(
        a.url,
        'GET',
        `/api/conversations/${id}`,
        undefined,
        admin,
      ).then((r) => r.conversation);

    // A Technical chat started through A goes to Tom on B; a Billing one through B to Carol on A.
    const tech1 = await chat(a, technical, 'My router blinks');
    const bill1 = await chat(b, billing, 'Charged twice');
    await until(async () => (await conversation(tech1)).assigneeId === tom.user.id);
    await until(async () => (await conversation(bill1)).assigneeId === carol.user.id);

    // Tom is full (capacity 1): the next Technical chat waits in Technical's queue, though
    // nobody else is busy with it: Carol is full too, and is not in Technical anyway.
    const tech2 = await chat(b, technical, 'Still blinking');
    await new Promise((r) => setTimeout(r, 500));
    expect(await conversation(tech2)).toMatchObject({
      status: 'pending',
      assigneeId: null,
      teamId: technical,
    });
    const queue = await call<{ items: Conversation[] }>(
      b.url,
      'GET',
      '/api/conversations?teamId=mine&status=pending',
      undefined,
      tom.accessToken,
    );
    expect(queue.items.map((c) => c.id)).toEqual([tech2]);

    // Carol frees her slot (on A): Technical's queue is not hers.
    await call(
      a.url,
      'PATCH',
      `/api/conversations/${bill1}`,
      { status: 'closed' },
      carol.accessToken,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await conversation(tech2)).assigneeId).toBeNull();
    // Tom frees his (on B): the queued chat is his.
    await call(
      b.url,
      'PATCH',
      `/api/conversations/${tech1}`,
      { status: 'closed' },
      tom.accessToken,
    );
    await until(async () => (await conversation(tech2)).assigneeId === tom.user.id);
  });
});
