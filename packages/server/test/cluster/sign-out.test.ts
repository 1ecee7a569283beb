import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { createDatabase } from '../../../../tools/local.mjs';
import { buildServer, dropDatabase, startInstance, type Instance } from './processes.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const redisUrl = process.env.TEST_REDIS_URL ?? '';
const dbName = `parley_signout_${process.pid}`;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  buildServer();
  const env = {
    DATABASE_URL: await createDatabase(adminUrl, dbName),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `parley-test-${process.pid}-${Date.now()}`,
    JWT_SECRET: 'signout-secret-signout-secret-signout-secret',
  };
  a = await startInstance(env);
  b = await startInstance(env);
});

afterAll(async () => {
  for (const instance of [a, b]) instance?.process.kill('SIGKILL');
  await dropDatabase(adminUrl, dbName);
});

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** An API token's agent socket on `url`, once connected. */
async function connectedSocket(url: string, token: string) {
  const socket = io(`${url}/agent`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The reason a handshake is refused, or 'connected'. */
function handshake(url: string, token: string): Promise<unknown> {
  const socket = io(`${url}/agent`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => resolve(error.data));
  });
}

describe('a sign-out on one instance', () => {
  it('is refused on the other within a second, over REST and at the socket handshake', async () => {
    const password = 'a long unusual passphrase 44';
    const registered = await fetch(
      `${a.url}/api/auth/register`,
      json({ name: 'Ada', email: 'ada@example.com', password }),
    );
    expect(registered.status).toBe(201);
    const login = await fetch(
      `${a.url}/api/auth/login`,
      json({ email: 'ada@example.com', password }),
    );
    const { accessToken } = (await login.json()) as { accessToken: string };
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = () =>
      fetch(`${b.url}/api/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect((await me()).status).toBe(200);
    expect(await handshake(b.url, accessToken)).toBe('connected');

    const out = await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    const loggedOutAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - loggedOutAt < 5_000) status = (await me()).status;
    const tookMs = Date.now() - loggedOutAt;
    expect(status).toBe(401);
    expect(tookMs).toBeLessThan(1_000);
    expect(await handshake(b.url, accessToken)).toEqual({ code: 'unauthorized' });
    console.log(`sign-out: refused by the other instance ${tookMs} ms after logout`);
  });

  it('revoking an API token there is refused here within a second, and closes its sockets here', async () => {
    const password = 'a long unusual passphrase 44';
    const login = await fetch(
      `${a.url}/api/auth/login`,
      json({ email: 'ada@example.com', password }),
    );
    const { accessToken } = (await login.json()) as { accessToken: string };
    const created = await fetch(`${a.url}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ name: 'Bot', scope: 'full', bot: { name: 'Cluster Bot' } }),
    });
    const { token, secret } = (await created.json()) as { token: { id: string }; secret: string };
    const conversations = () =>
      fetch(`${b.url}/api/conversations`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await conversations()).status).toBe(200);
    const socket = await connectedSocket(b.url, secret);
    const closed = new Promise<number>((resolve) =>
      socket.once('disconnect', () => resolve(Date.now())),
    );

    const revoked = await fetch(`${a.url}/api/tokens/${token.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    expect((await conversations()).status).toBe(401);
    const socketMs = (await closed) - revokedAt;
    expect(socketMs).toBeLessThan(1_000);
    expect(await handshake(b.url, secret)).toEqual({ code: 'unauthorized' });
    console.log(`token revoked: its socket on the other instance closed after ${socketMs} ms`);
  });

  it('deactivating an admin there stops the bot tokens they made here, REST and sockets', async () => {
    const password = 'a long unusual passphrase 44';
    const signIn = async (email: string, pass: string) =>
      (
        (await (
          await fetch(`${a.url}/api/auth/login`, json({ email, password: pass }))
        ).json()) as {
          accessToken: string;
        }
      ).accessToken;
    const owner = await signIn('ada@example.com', password);
    const auth = (token: string) => ({
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    });
    // Sam joins by invitation: the link taken from the reply (email is off), the password his.
    const invited = await fetch(`${a.url}/api/invitations`, {
      method: 'POST',
      headers: auth(owner),
      body: JSON.stringify({
        name: 'Sam',
        email: 'sam@example.com',
        role: 'admin',
        sendEmail: false,
      }),
    });
    const { token } = (await invited.json()) as { token: string };
    const accepted = await fetch(`${a.url}/api/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'another long passphrase 55' }),
    });
    const { user } = (await accepted.json()) as { user: { id: string } };
    const sam = await signIn('sam@example.com', 'another long passphrase 55');
    const created = await fetch(`${a.url}/api/tokens`, {
      method: 'POST',
      headers: auth(sam),
      body: JSON.stringify({ name: 'Sam bot', scope: 'full', bot: { name: 'Sam Bot' } }),
    });
    const { secret } = (await created.json()) as { secret: string };
    const socket = await connectedSocket(b.url, secret);
    const closed = new Promise<number>((resolve) =>
      socket.once('disconnect', () => resolve(Date.now())),
    );

    const off = await fetch(`${a.url}/api/users/${user.id}`, {
      method: 'PATCH',
      headers: auth(owner),
      body: JSON.stringify({ active: false }),
    });
    expect(off.status).toBe(200);
    const offAt = Date.now();
    const rest = await fetch(`${b.url}/api/conversations`, { headers: auth(secret) });
    expect(rest.status).toBe(401);
    const socketMs = (await closed) - offAt;
    expect(socketMs).toBeLessThan(1_000);
    expect(await handshake(b.url, secret)).toEqual({ code: 'unauthorized' });
    console.log(
      `admin deactivated: their bot's socket on the other instance closed after ${socketMs} ms`,
    );
  });

  it('signing a device out from another device there stops it here, REST and its socket', async () => {
    const password = 'a long unusual passphrase 44';
    const loginOn = async (url: string) => {
      const res = await fetch(
        `${url}/api/auth/login`,
        json({ email: 'ada@example.com', password }),
      );
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const laptop = await loginOn(a.url);
    const phone = await loginOn(b.url);
    const devices = (await (
      await fetch(`${b.url}/api/auth/sessions`, { headers: { authorization: `Bearer ${phone}` } })
    ).json()) as { items: Array<{ id: string; current: boolean }> };
    const phoneId = devices.items.find((d) => d.current)?.id;
    const socket = await connectedSocket(b.url, phone);
    const closed = new Promise<number>((resolve) =>
      socket.once('disconnect', () => resolve(Date.now())),
    );

    const ended = await fetch(`${a.url}/api/auth/sessions/${phoneId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${laptop}` },
    });
    expect(ended.status).toBe(204);
    const endedAt = Date.now();
    const me = await fetch(`${b.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${phone}` },
    });
    expect(me.status).toBe(401);
    const socketMs = (await closed) - endedAt;
    expect(socketMs).toBeLessThan(1_000);
    expect(await handshake(b.url, phone)).toEqual({ code: 'unauthorized' });
    console.log(`device signed out: its socket on the other instance closed after ${socketMs} ms`);
  });
});
