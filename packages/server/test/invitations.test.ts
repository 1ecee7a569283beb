import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import { attack as attackOn, refusal } from './attack-kit.js';
import { api, createAdmin, createAgent, login, type SignedInAgent } from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Invitations (issue 36, item 3): an admin never picks or sees a password. The invited person
// follows a single-use link (7 days) and chooses their own.
const server = useServer();
const attack = (run: () => Promise<void>) => attackOn(server.database, run);

let seq = 0;
const address = () => `invited-${Date.now()}-${seq++}@example.com`;
const PASSWORD = 'a quiet harbour at dawn 7';

async function invite(
  s: TestServer,
  admin: SignedInAgent,
  body: Record<string, unknown> = {},
): Promise<{ id: string; token: string; email: string }> {
  const email = address();
  const res = await api(s, 'POST', '/api/invitations', {
    token: admin.token,
    body: { name: 'Ines Invited', email, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.invitation.id, token: res.body.token, email };
}

const accept = (s: TestServer, token: string, body: Record<string, unknown> = {}) =>
  api(s, 'POST', '/api/invitations/accept', { body: { token, password: PASSWORD, ...body } });
const check = (s: TestServer, token: string) =>
  api(s, 'POST', '/api/invitations/check', { body: { token } });

const auditActions = async (): Promise<string[]> =>
  (
    await rowsOf<{ action: string }>(
      server.database.db,
      sql`select action from audit_events where action like 'invitation.%' order by at, action`,
    )
  ).map((r) => r.action);

describe('invitations', () => {
  it('an invited person sees who invited them, chooses a password and is signed in, once', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { id, token, email } = await invite(s, admin, { role: 'admin', capacity: 3 });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const listed = await api(s, 'GET', '/api/invitations', { token: admin.token });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, email, role: 'admin', capacity: 3 }),
    ]);
    expect(listed.body.items[0].invitedBy).toEqual({ id: admin.user.id, name: 'Ada Admin' });
    // The link is never shown again, and only its hash is kept.
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const [stored] = await rowsOf<{ token_hash: string }>(
      server.database.db,
      sql`select token_hash from invitations`,
    );
    expect(stored?.token_hash).not.toContain(token);

    const seen = await check(s, token);
    expect(seen.body.invitation).toMatchObject({
      email,
      name: 'Ines Invited',
      role: 'admin',
      invitedBy: 'Ada Admin',
    });

    const joined = await accept(s, token);
    expect(joined.status).toBe(201);
    expect(joined.body.user).toMatchObject({
      email,
      name: 'Ines Invited',
      role: 'admin',
      capacity: 3,
    });
    expect(joined.headers.get('set-cookie')).toMatch(/^parley_refresh=/);
    const me = await api(s, 'GET', '/api/auth/me', { token: joined.body.accessToken });
    expect(me.body.user.email).toBe(email);
    // Their password works for signing in later; the invitation is gone from the list.
    await login(s, email, PASSWORD);
    expect((await api(s, 'GET', '/api/invitations', { token: admin.token })).body.items).toEqual(
      [],
    );
    expect(await auditActions()).toEqual(['invitation.created', 'invitation.accepted']);
  });

  it('a used link is refused, tells nothing on the check, and changes nothing', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { token } = await invite(s, admin);
    expect((await accept(s, token)).status).toBe(201);
    await attack(async () => {
      const again = await accept(s, token, { password: 'another long passphrase 9' });
      expect(again.status).toBe(400);
      expect(again.body.error.message).toMatch(/expired, was used/);
      expect((await check(s, token)).body).toEqual({ invitation: null });
    });
  });

  it('two accepts of one link at once make one account', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { token, email } = await invite(s, admin);
    const replies = await Promise.all([
      accept(s, token),
      accept(s, token, { password: 'a different long passphrase 3' }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 400]);
    const users = await rowsOf<{ n: number }>(
      server.database.db,
      sql`select count(*)::int as n from users where email = ${email}`,
    );
    expect(users[0]?.n).toBe(1);
  });

  it('a revoked link, a renewed-away link and an expired link are refused', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const revoked = await invite(s, admin);
    const del = await api(s, 'DELETE', `/api/invitations/${revoked.id}`, { token: admin.token });
    expect(del.status).toBe(204);
    // A second revoke finds nothing to revoke.
    expect(
      (await api(s, 'DELETE', `/api/invitations/${revoked.id}`, { token: admin.token })).status,
    ).toBe(404);

    const renewed = await invite(s, admin);
    const fresh = await api(s, 'POST', `/api/invitations/${renewed.id}/renew`, {
      token: admin.token,
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body.token).not.toBe(renewed.token);

    const expired = await invite(s, admin);
    await server.database.db.execute(
      sql`update invitations set expires_at = now() - interval '1 minute' where id = ${expired.id}`,
    );

    await attack(async () => {
      for (const token of [revoked.token, renewed.token, expired.token]) {
        const res = await accept(s, token);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect((await check(s, token)).body).toEqual({ invitation: null });
      }
    });
    // The renewed link works; an expired invitation is still listed, and can be renewed.
    expect((await accept(s, fresh.body.token)).status).toBe(201);
    const listed = await api(s, 'GET', '/api/invitations', { token: admin.token });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([expired.id]);
    const again = await api(s, 'POST', `/api/invitations/${expired.id}/renew`, {
      token: admin.token,
    });
    expect((await accept(s, again.body.token)).status).toBe(201);
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        'invitation.created',
        'invitation.revoked',
        'invitation.renewed',
        'invitation.accepted',
      ]),
    );
  });

  it("a deactivated admin's invitations stop working", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const second = await createAgent(s, admin, { role: 'admin', name: 'Sam Second' });
    const { token } = await invite(s, second);
    await api(s, 'PATCH', `/api/users/${second.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    await attack(async () => {
      expect((await check(s, token)).body).toEqual({ invitation: null });
      expect((await accept(s, token)).status).toBe(400);
    });
  });

  it('an address that is a user already, or already invited, is a clear 409', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const pending = await invite(s, admin);
    await attack(async () => {
      for (const email of [agent.user.email, admin.user.email.toUpperCase(), pending.email]) {
        const res = await api(s, 'POST', '/api/invitations', {
          token: admin.token,
          body: { name: 'Twice', email },
        });
        expect(res.status, email).toBe(409);
        expect(res.body.error.message).toMatch(/user with this email exists|pending invitation/);
      }
    });
  });

  it('only admins invite, list, renew or revoke; a read-only token cannot invite', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const { id } = await invite(s, admin);
    const read = await api(s, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Reader', scope: 'read' },
    });
    await attack(async () => {
      const asAgent = [
        api(s, 'POST', '/api/invitations', {
          token: agent.token,
          body: { name: 'Eve', email: 'eve@example.com', role: 'admin' },
        }),
        api(s, 'GET', '/api/invitations', { token: agent.token }),
        api(s, 'POST', `/api/invitations/${id}/renew`, { token: agent.token }),
        api(s, 'DELETE', `/api/invitations/${id}`, { token: agent.token }),
      ];
      for (const res of await Promise.all(asAgent)) {
        expect(res.status).toBe(403);
        expect(res.body).toEqual(refusal('forbidden', 'Admins only'));
      }
      const byToken = await api(s, 'POST', '/api/invitations', {
        token: read.body.secret,
        body: { name: 'Eve', email: 'eve@example.com' },
      });
      expect(byToken.status).toBe(403);
      expect((await api(s, 'POST', '/api/invitations', { body: { name: 'x' } })).status).toBe(401);
    });
  });

  it('the invited person cannot choose their role, name or capacity, nor a weak password', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { token, email } = await invite(s, admin, { capacity: 2 });
    const weak = await accept(s, token, { password: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details).toEqual([{ path: 'password', message: expect.any(String) }]);
    // The refused password left the link usable; the extra fields are ignored.
    const joined = await accept(s, token, {
      role: 'admin',
      name: 'Mallory',
      capacity: 99,
      email: 'x@y.z',
    });
    expect(joined.status).toBe(201);
    expect(joined.body.user).toMatchObject({
      email,
      name: 'Ines Invited',
      role: 'agent',
      capacity: 2,
    });
  });

  it('guessing tokens is rate limited per address, checks and accepts together', async () => {
    const s = server.current;
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const guess = `guess-${i}-${'x'.repeat(30)}`;
      const res = i % 2 ? await check(s, guess) : await accept(s, guess);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((st) => st === 200 || st === 400)).toBe(true);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('bad input is a clear 400 and makes nothing', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await attack(async () => {
      for (const body of [
        { name: 'No email' },
        { name: 'Bad', email: 'not-an-address' },
        { name: 'Role', email: 'r@example.com', role: 'owner' },
        { name: 'Cap', email: 'c@example.com', capacity: 1000 },
      ]) {
        const res = await api(s, 'POST', '/api/invitations', { token: admin.token, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
      }
      const id = '00000000-0000-7000-8000-000000000000';
      expect(
        (await api(s, 'POST', `/api/invitations/${id}/renew`, { token: admin.token })).status,
      ).toBe(404);
      expect((await api(s, 'DELETE', '/api/invitations/nope', { token: admin.token })).status).toBe(
        400,
      );
    });
  });

  it('POST /api/users is gone: no route takes a password from an admin', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const res = await api(s, 'POST', '/api/users', {
      token: admin.token,
      body: { name: 'Old way', email: 'old@example.com', password: 'a fine long password 1' },
    });
    expect(res.status).toBe(404);
  });
});
