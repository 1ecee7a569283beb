import type { PushDeviceReply, PushDevicesReply, PushPayload } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import {
  api,
  createAdmin,
  createAgent,
  createToken,
  login,
  newClientId,
  openSocket,
  startVisitorChat,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';
import {
  browserKeys,
  decryptPush,
  startPushService,
  type BrowserKeys,
  type ReceivedPush,
  type TestPushService,
} from './support/push-service.js';

// Push notifications (issue 37) through the real protocol: the server sends Web Push requests
// (RFC 8030) signed with VAPID (RFC 8292) to a push service the test runs, and each payload is
// read with the subscription's own keys (RFC 8291), as the browser would.

let push: TestPushService;
const env: Record<string, string> = { PUSH_INTERVAL_SECONDS: '1' };
const server = useServer({ env });

beforeAll(async () => {
  push = await startPushService();
  env.PUSH_SERVICES = push.origin;
});
afterAll(() => push.close());

type Device = { keys: BrowserKeys; name: string; id: string };

/** Turns pushes on for the sign-in of `agent`'s token, as a browser named `name`. */
async function subscribe(s: TestServer, agent: SignedInAgent, name: string): Promise<Device> {
  const keys = browserKeys();
  const res = await api<PushDeviceReply>(s, 'POST', '/api/push/subscriptions', {
    token: agent.token,
    body: { endpoint: push.endpoint(name), keys: { p256dh: keys.p256dh, auth: keys.auth } },
  });
  expect(res.status).toBe(201);
  return { keys, name, id: res.body.device.id };
}

const pushesTo = (device: Device) => push.received.filter((p) => p.name === device.name);
const read = (p: ReceivedPush, device: Device) =>
  JSON.parse(decryptPush(p.body, device.keys)) as PushPayload;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The agent's dashboard socket, saying whether it is in view. */
async function dashboard(s: TestServer, token: string, visible: boolean) {
  const socket = openSocket(s, '/agent', { token, visible });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await socket.timeout(5000).emitWithAck('sync', { conversations: {} });
  return socket;
}

async function assign(s: TestServer, admin: SignedInAgent, conversationId: string, to: string) {
  const res = await api(s, 'POST', `/api/conversations/${conversationId}/assign`, {
    token: admin.token,
    body: { agentId: to },
  });
  expect(res.status).toBe(200);
}

async function visitorSays(chat: Awaited<ReturnType<typeof startVisitorChat>>, content: string) {
  const reply = await chat.socket.timeout(5000).emitWithAck('message.send', {
    conversationId: chat.started.conversation.id,
    content,
    clientId: newClientId(),
  });
  expect(reply.ok).toBe(true);
}

describe('push subscriptions', () => {
  it('subscribes a sign-in once per browser, and refuses tokens, other addresses and false keys', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const keys = browserKeys();
    const body = {
      endpoint: push.endpoint('laptop'),
      keys: { p256dh: keys.p256dh, auth: keys.auth },
    };
    const first = await api<PushDeviceReply>(s, 'POST', '/api/push/subscriptions', {
      token: admin.token,
      body,
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
    });
    expect(first.status).toBe(201);
    expect(first.body.device).toMatchObject({ thisDevice: true, lastPushedAt: null });
    // The same browser again: the same device, 200.
    const again = await api<PushDeviceReply>(s, 'POST', '/api/push/subscriptions', {
      token: admin.token,
      body,
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
    });
    expect(again).toMatchObject({ status: 200, body: { device: { id: first.body.device.id } } });
    const listed = await api<PushDevicesReply>(s, 'GET', '/api/push/subscriptions', {
      token: admin.token,
    });
    expect(listed.body.devices).toHaveLength(1);
    expect(listed.body.devices[0]?.device).toBe('Chrome 131 on Linux');

    // Only the push services configured: never an address of the caller's choosing.
    for (const endpoint of [
      'https://evil.example/push/1',
      'http://169.254.169.254/latest/meta-data',
      `${push.origin.replace('http:', 'https:')}/push/x`,
      `http://user:pass@${push.origin.slice('http://'.length)}/push/x`,
    ]) {
      const res = await api(s, 'POST', '/api/push/subscriptions', {
        token: admin.token,
        body: { ...body, endpoint },
      });
      expect(res.status, endpoint).toBe(400);
    }
    // Keys no browser gives: nothing could be encrypted to them.
    const bad = await api(s, 'POST', '/api/push/subscriptions', {
      token: admin.token,
      body: { ...body, keys: { p256dh: 'A'.repeat(87), auth: keys.auth } },
    });
    expect(bad.status).toBe(400);
    // An integration's token is not a device; nobody signed in is nobody.
    const token = await createToken(s, admin.token, { name: 'script', scope: 'full' });
    expect(
      (await api(s, 'POST', '/api/push/subscriptions', { token: token.secret, body })).status,
    ).toBe(403);
    expect((await api(s, 'POST', '/api/push/subscriptions', { body })).status).toBe(401);
    const rows = await rowsOf(server.database.db, sql`select 1 from push_subscriptions`);
    expect(rows).toHaveLength(1);
  });

  it("keeps an agent's ten newest devices, and lets only them remove one", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const devices: Device[] = [];
    for (let i = 0; i < 11; i++) devices.push(await subscribe(s, bob, `bob-${i}`));
    const listed = await api<PushDevicesReply>(s, 'GET', '/api/push/subscriptions', {
      token: bob.token,
    });
    expect(listed.body.devices.map((d) => d.id)).not.toContain(devices[0]?.id);
    expect(listed.body.devices).toHaveLength(10);
    // Another's device is not found; one's own goes, once.
    const path = `/api/push/subscriptions/${devices[5]?.id}`;
    expect((await api(s, 'DELETE', path, { token: admin.token })).status).toBe(404);
    expect((await api(s, 'DELETE', path, { token: bob.token })).status).toBe(204);
    expect((await api(s, 'DELETE', path, { token: bob.token })).status).toBe(404);
  });
});

describe('pushes', () => {
  it('tells an agent a chat was given to them and what the visitor says, signed and encrypted', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const phone = await subscribe(s, bob, 'bob-phone');
    const chat = await startVisitorChat(s, 'Hello, my order is late');
    const id = chat.started.conversation.id;
    await assign(s, admin, id, bob.user.id);
    await waitFor(() => pushesTo(phone).length === 1);
    const [given] = pushesTo(phone);
    expect(read(given!, phone)).toMatchObject({
      title: expect.stringMatching(/^Assigned to you: Visitor [0-9a-f]{6}$/),
      body: 'Hello, my order is late',
      tag: `conversation-${id}`,
      url: `/conversations/${id}`,
      reason: 'assigned',
    });
    // The wire, as RFC 8030/8291/8292 say: encrypted, urgent, replaceable, signed for this
    // push service by the server's key.
    const headers = given!.headers;
    expect(headers['content-encoding']).toBe('aes128gcm');
    expect(headers.urgency).toBe('high');
    expect(headers.topic).toBe(id.replace(/-/g, ''));
    expect(Number(headers.ttl)).toBeGreaterThan(0);
    const vapid = /^vapid t=([^,]+), k=(.+)$/.exec(String(headers.authorization));
    const { publicKey } = (await api(s, 'GET', '/api/push/key', { token: bob.token })).body;
    expect(vapid?.[2]).toBe(publicKey);
    const raw = Buffer.from(publicKey, 'base64url');
    const key = await importJWK({
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
      alg: 'ES256',
    });
    const { payload } = await jwtVerify(vapid?.[1] ?? '', key, { audience: push.origin });
    expect(payload.sub).toMatch(/^(mailto:|https:)/);

    // The visitor writes: who and what.
    await visitorSays(chat, 'I was charged twice for order #1234');
    await waitFor(() => pushesTo(phone).length === 2);
    expect(read(pushesTo(phone)[1]!, phone)).toMatchObject({
      title: expect.stringMatching(/^Visitor [0-9a-f]{6}$/),
      body: 'I was charged twice for order #1234',
      reason: 'message',
      count: 1,
    });
    const devices = await api<PushDevicesReply>(s, 'GET', '/api/push/subscriptions', {
      token: bob.token,
    });
    expect(devices.body.devices[0]?.lastPushedAt).not.toBeNull();
  });

  it('makes a burst of ten messages one push at once and one that updates it, not ten', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const chat = await startVisitorChat(s, 'Hi');
    await assign(s, admin, chat.started.conversation.id, bob.user.id);
    const phone = await subscribe(s, bob, 'bob-burst');
    for (let i = 1; i <= 10; i++) await visitorSays(chat, `Message ${i} of the burst`);
    await waitFor(() => pushesTo(phone).length === 2);
    // The interval (1 s here) passes twice more: nothing else comes.
    await sleep(2500);
    const pushes = pushesTo(phone);
    expect(pushes).toHaveLength(2);
    const [first, second] = pushes.map((p) => read(p, phone));
    expect(first?.tag).toBe(second?.tag);
    expect(pushes[1]!.at - pushes[0]!.at).toBeGreaterThanOrEqual(900);
    // The second tells what came after the first, ending with the last word.
    expect((first?.count ?? 0) + (second?.count ?? 0)).toBe(10);
    expect(second).toMatchObject({ body: 'Message 10 of the burst' });
    expect(second?.title).toMatch(/\(\d+ new\)$/);
  });

  it('pushes nothing to a device whose dashboard is in view, and no message while any is', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const laptop = await subscribe(s, bob, 'bob-laptop');
    const bobPhone = await login(s, bob.user.email, 'agent password 123');
    const phone = await subscribe(s, bobPhone, 'bob-phone-2');
    const desk = await dashboard(s, bob.token, true);
    const chat = await startVisitorChat(s, 'Hello');
    await assign(s, admin, chat.started.conversation.id, bob.user.id);
    // The laptop shows the dashboard: only the phone is told of the chat.
    await waitFor(() => pushesTo(phone).length === 1);
    await visitorSays(chat, 'Are you there?');
    await sleep(2500);
    expect(pushesTo(laptop)).toHaveLength(0);
    expect(pushesTo(phone)).toHaveLength(1);
    // The laptop's tab goes to the background: the next message buzzes both.
    await desk.timeout(5000).emitWithAck('dashboard.visibility', { visible: false });
    await visitorSays(chat, 'Hello?');
    await waitFor(() => pushesTo(laptop).length === 1 && pushesTo(phone).length === 2);
    expect(read(pushesTo(laptop)[0]!, laptop).body).toBe('Hello?');
  });

  it('deletes a subscription its push service forgot (404, 410), and tries a failing one again', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const gone = await subscribe(s, bob, 'bob-gone');
    const flaky = await subscribe(s, bob, 'bob-flaky');
    push.answer(gone.name, 410);
    push.answer(flaky.name, 503);
    const res = await api(s, 'POST', '/api/push/test', { token: bob.token });
    expect(res.body).toEqual({ sent: 2 });
    await waitFor(async () => {
      const rows = await rowsOf(
        server.database.db,
        sql`select 1 from push_subscriptions where id = ${gone.id}`,
      );
      return rows.length === 0;
    });
    // The push service is back: the job's next try (10 s later) gets through.
    push.answer(flaky.name, 201);
    await waitFor(() => pushesTo(flaky).length === 1, 30_000);
    expect(read(pushesTo(flaky)[0]!, flaky)).toMatchObject({ reason: 'test' });
    const failed = await rowsOf<{ attempts: number }>(
      server.database.db,
      sql`select attempts from jobs where kind = 'send-push'`,
    );
    expect(failed[0]?.attempts).toBe(2);
  }, 60_000);

  it("stops at once for a device signed out, and for an agent's kinds turned off", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const phone = await subscribe(s, bob, 'bob-leaving');
    // Bob turns messages off: a chat given to him still buzzes, its messages do not.
    const prefs = await api(s, 'PATCH', '/api/auth/me/notifications', {
      token: bob.token,
      body: { messages: false },
    });
    expect(prefs.body.preferences).toEqual({
      queued: true,
      assigned: true,
      messages: false,
      mentions: true,
      mentionEmails: false,
    });
    const chat = await startVisitorChat(s, 'Hello');
    await assign(s, admin, chat.started.conversation.id, bob.user.id);
    await waitFor(() => pushesTo(phone).length === 1);
    await visitorSays(chat, 'Anyone?');
    await sleep(2000);
    expect(pushesTo(phone)).toHaveLength(1);
    // Nothing to change is the choices as they are; unknown choices are refused.
    const same = await api(s, 'PATCH', '/api/auth/me/notifications', {
      token: bob.token,
      body: {},
    });
    expect(same).toMatchObject({ status: 200, body: { preferences: { messages: false } } });
    expect(
      (
        await api(s, 'PATCH', '/api/auth/me/notifications', {
          token: bob.token,
          body: { everything: true },
        })
      ).status,
    ).toBe(400);
    // Bob signs this device out: its subscription goes with the sign-in.
    expect((await api(s, 'POST', '/api/auth/logout', { cookie: bob.cookie })).status).toBe(204);
    await waitFor(async () => {
      const rows = await rowsOf(server.database.db, sql`select 1 from push_subscriptions`);
      return rows.length === 0;
    });
  });

  it('tells the agents of the queue of a chat nobody took, once each', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const adminPhone = await subscribe(s, admin, 'ada-queue');
    const bobPhone = await subscribe(s, bob, 'bob-queue');
    // Nobody is online: the chat waits in the queue.
    const chat = await startVisitorChat(s, 'Is anyone there?');
    await waitFor(() => pushesTo(adminPhone).length === 1 && pushesTo(bobPhone).length === 1);
    expect(read(pushesTo(bobPhone)[0]!, bobPhone)).toMatchObject({
      title: expect.stringMatching(/^New chat: Visitor/),
      body: 'Is anyone there?',
      url: `/conversations/${chat.started.conversation.id}`,
      reason: 'queued',
    });
  });
});

describe('mentions', () => {
  it('pushes a note to the teammates it mentions, and refuses mentions anywhere else', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const adminPhone = await subscribe(s, admin, 'ada-mention');
    const bobPhone = await subscribe(s, bob, 'bob-mention');
    const chat = await startVisitorChat(s, 'Refund please');
    const conversationId = chat.started.conversation.id;
    await assign(s, admin, conversationId, admin.user.id);
    const note = (mentions: string[], type = 'note') =>
      api(s, 'POST', '/api/messages', {
        token: admin.token,
        body: {
          conversationId,
          content: '@Bob Agent can you check?',
          clientId: newClientId(),
          type,
          mentions,
        },
      });
    const sent = await note([bob.user.id, admin.user.id]);
    expect(sent.status).toBe(201);
    expect(sent.body.message.mentions).toEqual([bob.user.id, admin.user.id]);
    await waitFor(() => pushesTo(bobPhone).length === 1);
    expect(read(pushesTo(bobPhone)[0]!, bobPhone)).toMatchObject({
      title: 'Ada Admin mentioned you',
      body: expect.stringMatching(/^@Bob Agent can you check\?\nChat with Visitor/),
      reason: 'mention',
    });
    await sleep(1500);
    // The writer is not told of their own note.
    expect(pushesTo(adminPhone)).toHaveLength(0);
    // Only notes mention; only active teammates, no bots, no strangers.
    expect((await note([bob.user.id], 'text')).status).toBe(400);
    const bot = await createToken(s, admin.token, {
      name: 'Triage',
      scope: 'full',
      bot: { name: 'Triage Bot' },
    });
    expect((await note([bot.token.user.id])).status).toBe(400);
    expect((await note(['00000000-0000-4000-8000-000000000000'])).status).toBe(400);
    await api(s, 'PATCH', `/api/users/${bob.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    expect((await note([bob.user.id])).status).toBe(400);
  });
});
