import type { AuthReply, SignedInDevicesReply } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import {
  api,
  connectAgent,
  createAdmin,
  joinTeam,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Signed-in devices (issue 36, item 4): each agent sees their browsers and signs any of them out;
// an admin ends all of a user's. An ended sign-in stops at once on REST, sockets and refresh.

// Behind a proxy that says where each browser is: the phone is in the United Kingdom.
const server = useServer({ env: { TRUST_PROXY: 'true' } });

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

async function agentWithPassword(s: TestServer, admin: SignedInAgent) {
  const email = `dev-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const password = 'a long unusual passphrase 91';
  const joined = await joinTeam(s, admin, { name: 'Dee Devices', email, password });
  // Joining signed them in: that sign-in ends, so the tests' own are their only devices.
  await api(s, 'POST', '/api/auth/logout', { cookie: joined.cookie });
  return { id: joined.user.id, email, password };
}

/** A sign-in from a browser of its own: its access token, refresh cookie and sign-in id. */
async function signInFrom(
  s: TestServer,
  who: { email: string; password: string },
  userAgent: string,
  from?: string,
) {
  const res = await api<AuthReply>(s, 'POST', '/api/auth/login', {
    body: { email: who.email, password: who.password },
    headers: { 'user-agent': userAgent, ...(from ? { 'x-forwarded-for': from } : {}) },
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const token = res.body.accessToken;
  const devices = await api<SignedInDevicesReply>(s, 'GET', '/api/auth/sessions', { token });
  const id = devices.body.items.find((d) => d.current)?.id ?? '';
  return { token, cookie, id };
}

const refused = async (s: TestServer, token: string) =>
  (await api(s, 'GET', '/api/auth/me', { token })).status === 401;

describe('signed-in devices', () => {
  it('lists each browser with its browser, system, address and times; this one marked', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const dee = await agentWithPassword(s, admin);
    const laptop = await signInFrom(s, dee, CHROME);
    const phone = await signInFrom(s, dee, IPHONE, '81.2.69.142');
    // The phone refreshes: the same sign-in, seen later.
    const refreshed = await api<AuthReply>(s, 'POST', '/api/auth/refresh', {
      cookie: phone.cookie,
      headers: { 'user-agent': IPHONE, 'x-forwarded-for': '81.2.69.142' },
    });
    expect(refreshed.status).toBe(200);

    const seen = await api<SignedInDevicesReply>(s, 'GET', '/api/auth/sessions', {
      token: laptop.token,
    });
    expect(seen.status).toBe(200);
    expect(seen.body.items).toHaveLength(2);
    const [first, second] = seen.body.items;
    expect(first).toMatchObject({
      id: phone.id,
      current: false,
      browser: 'Safari 17',
      os: expect.stringContaining('iOS 17.5'),
      ip: '81.2.69.142',
      network: 'internet',
      place: 'United Kingdom',
    });
    expect(second).toMatchObject({
      id: laptop.id,
      current: true,
      browser: 'Chrome 131',
      os: 'Windows 10',
      network: 'this computer',
      place: null,
    });
    expect(second!.ip).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(first!.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(first!.signedInAt));
    // The admin's own list holds only the admin's.
    const theirs = await api<SignedInDevicesReply>(s, 'GET', '/api/auth/sessions', {
      token: admin.token,
    });
    expect(theirs.body.items.map((d) => d.id)).not.toContain(laptop.id);
  });

  it("signs another device out at once: its token, its socket, its refresh; once only, and only one's own", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const dee = await agentWithPassword(s, admin);
    const laptop = await signInFrom(s, dee, CHROME);
    const phone = await signInFrom(s, dee, IPHONE);
    const phoneSocket = await connectAgent(s, phone.token);
    const gone = new Promise<void>((resolve) => phoneSocket.once('disconnect', () => resolve()));

    // Someone else cannot end it, and learns nothing: the same 404 as a made-up id.
    for (const id of [phone.id, crypto.randomUUID()]) {
      const other = await api(s, 'DELETE', `/api/auth/sessions/${id}`, { token: admin.token });
      expect(other.status, id).toBe(404);
    }
    expect(await refused(s, phone.token)).toBe(false);

    const ended = await api(s, 'DELETE', `/api/auth/sessions/${phone.id}`, {
      token: laptop.token,
    });
    expect(ended.status).toBe(204);
    await gone;
    expect(await refused(s, phone.token)).toBe(true);
    const refresh = await api(s, 'POST', '/api/auth/refresh', { cookie: phone.cookie });
    expect(refresh.status).toBe(401);
    // The same request again: nothing left to end.
    const again = await api(s, 'DELETE', `/api/auth/sessions/${phone.id}`, {
      token: laptop.token,
    });
    expect(again.status).toBe(404);
    // The laptop goes on; ending itself is signing out.
    expect(await refused(s, laptop.token)).toBe(false);
    const list = await api<SignedInDevicesReply>(s, 'GET', '/api/auth/sessions', {
      token: laptop.token,
    });
    expect(list.body.items.map((d) => d.id)).toEqual([laptop.id]);
    const self = await api(s, 'DELETE', `/api/auth/sessions/${laptop.id}`, {
      token: laptop.token,
    });
    expect(self.status).toBe(204);
    expect(await refused(s, laptop.token)).toBe(true);
    expect(
      (await api(s, 'GET', '/api/auth/sessions/not-an-id', { token: admin.token })).status,
    ).toBe(404);
    expect(
      (await api(s, 'DELETE', '/api/auth/sessions/not-an-id', { token: admin.token })).status,
    ).toBe(400);
  });

  it('lets an admin end every sign-in of a user, recorded; agents cannot; a second time ends none', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const dee = await agentWithPassword(s, admin);
    const laptop = await signInFrom(s, dee, CHROME);
    const phone = await signInFrom(s, dee, IPHONE);
    const socket = await connectAgent(s, laptop.token);
    const gone = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));

    const byAgent = await api(s, 'POST', `/api/users/${admin.user.id}/sessions/end`, {
      token: laptop.token,
    });
    expect(byAgent.status).toBe(403);
    expect(await refused(s, admin.token)).toBe(false);
    const unknown = await api(s, 'POST', `/api/users/${crypto.randomUUID()}/sessions/end`, {
      token: admin.token,
    });
    expect(unknown.status).toBe(404);

    const ended = await api(s, 'POST', `/api/users/${dee.id}/sessions/end`, {
      token: admin.token,
    });
    expect(ended).toMatchObject({ status: 200, body: { ended: 2 } });
    await gone;
    await waitFor(async () => (await refused(s, phone.token)) && (await refused(s, laptop.token)));
    expect((await api(s, 'POST', '/api/auth/refresh', { cookie: laptop.cookie })).status).toBe(401);
    const again = await api(s, 'POST', `/api/users/${dee.id}/sessions/end`, {
      token: admin.token,
    });
    expect(again.body).toEqual({ ended: 0 });
    // The admin's own sign-in goes on; the audit log says who did it, to whom, from where.
    expect(await refused(s, admin.token)).toBe(false);
    const audit = await rowsOf<{ actor_id: string; target_id: string; ip: string | null }>(
      s.ctx.db,
      sql`select actor_id, target_id, ip from audit_events where action = 'sessions.ended'`,
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor_id: admin.user.id, target_id: dee.id });
    // Signing in again works: it was the sign-ins that ended, not the account.
    expect(await signInFrom(s, dee, CHROME)).toMatchObject({ id: expect.any(String) });
  });
});
