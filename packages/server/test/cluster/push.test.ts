import type { AuthReply, PushPayload, VisitorSessionReply } from '@parley/protocol';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../../tools/local.mjs';
import {
  startPushService,
  browserKeys,
  decryptPush,
  type TestPushService,
} from '../support/push-service.js';
import { buildServer, dropDatabase, post, startInstance, type Instance } from './processes.js';

// Pushes in a cluster (issue 37): a dashboard in view on one instance keeps the push another
// instance sends from its device (the job asks every instance's sockets, through Redis).

const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const redisUrl = process.env.TEST_REDIS_URL ?? '';
const dbName = `parley_push_${process.pid}`;
let a: Instance;
let b: Instance;
let push: TestPushService;

beforeAll(async () => {
  buildServer();
  push = await startPushService();
  const env = {
    DATABASE_URL: await createDatabase(adminUrl, dbName),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `parley-test-${process.pid}-${Date.now()}`,
    JWT_SECRET: 'push-secret-push-secret-push-secret-push',
    PUSH_SERVICES: push.origin,
    PUSH_INTERVAL_SECONDS: '1',
  };
  a = await startInstance(env);
  b = await startInstance(env);
});

afterAll(async () => {
  for (const instance of [a, b]) instance?.process.kill('SIGKILL');
  await push?.close();
  await dropDatabase(adminUrl, dbName);
});

const waitFor = async (check: () => boolean, ms = 15_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('pushes across instances', () => {
  it('skip the device whose dashboard is in view on the other instance', async () => {
    const password = 'a long unusual passphrase 45';
    await post<AuthReply>(`${a.url}/api/auth/register`, {
      name: 'Ada Admin',
      email: 'ada@example.com',
      password,
    });
    // Two sign-ins of Ada's: the laptop's dashboard is on instance A and in view.
    const laptop = await post<AuthReply>(`${a.url}/api/auth/login`, {
      email: 'ada@example.com',
      password,
    });
    const phone = await post<AuthReply>(`${b.url}/api/auth/login`, {
      email: 'ada@example.com',
      password,
    });
    const keys = { laptop: browserKeys(), phone: browserKeys() };
    for (const [name, signIn] of [
      ['laptop', laptop],
      ['phone', phone],
    ] as const) {
      await post(
        `${b.url}/api/push/subscriptions`,
        {
          endpoint: push.endpoint(name),
          keys: { p256dh: keys[name].p256dh, auth: keys[name].auth },
        },
        signIn.accessToken,
      );
    }
    const desk = io(`${a.url}/agent`, {
      auth: { token: laptop.accessToken, visible: true },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      desk.once('connect', () => resolve());
      desk.once('connect_error', reject);
    });
    try {
      // A visitor starts a chat on instance B, where routing gives it to Ada (online through
      // the laptop): the push job starts on B, where the laptop's socket is not.
      const visitor = await post<VisitorSessionReply>(`${b.url}/api/visitors/session`, {});
      const widget = io(`${b.url}/visitor`, {
        auth: { visitorToken: visitor.visitorToken },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const reply = (await widget.timeout(5000).emitWithAck('conversation.start', {
        content: 'Hello from the shop',
        clientId: randomUUID(),
      })) as {
        ok: boolean;
        data?: { conversation: { id: string; assigneeId: string | null } };
      };
      widget.disconnect();
      expect(reply.ok).toBe(true);
      const id = reply.data?.conversation.id ?? '';
      await waitFor(() => push.received.some((p) => p.name === 'phone'));
      const told = JSON.parse(
        decryptPush(push.received.find((p) => p.name === 'phone')!.body, keys.phone),
      ) as PushPayload;
      expect(told).toMatchObject({ reason: 'assigned', url: `/conversations/${id}` });
      await new Promise((r) => setTimeout(r, 2000));
      expect(push.received.filter((p) => p.name === 'laptop')).toHaveLength(0);
    } finally {
      desk.disconnect();
    }
  });
});
