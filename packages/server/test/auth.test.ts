import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, connectAgent, createAdmin, createAgent, login, nextEvent } from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('auth', () => {
  it('refuses a short password and a malformed email, creating nothing', async () => {
    const s = server.current;
    const short = await api(s, 'POST', '/api/auth/register', {
      body: { name: 'A', email: 'a@example.com', password: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('validation_failed');
    expect(short.body.error.details).toEqual([
      { path: 'password', message: 'At least 8 characters' },
    ]);
    const email = await api(s, 'POST', '/api/auth/register', {
      body: { name: 'A', email: 'not-an-email', password: 'long enough' },
    });
    expect(email.status).toBe(400);
    // Nothing was created: the next register still becomes the first admin.
    const admin = await createAdmin(s);
    expect(admin.user.role).toBe('admin');
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const unknown = await api(s, 'POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'whatever123' },
    });
    const wrong = await api(s, 'POST', '/api/auth/login', {
      body: { email: admin.user.email, password: 'wrong password' },
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error.code).toBe('invalid_credentials');
  });

  it('rotates the refresh token, refuses the old one, and logout revokes the new one', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    expect(admin.cookie).toMatch(/^parley_refresh=/);
    const refreshed = await api(s, 'POST', '/api/auth/refresh', { cookie: admin.cookie });
    expect(refreshed.status).toBe(200);
    const setCookie = refreshed.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const rotated = setCookie.split(';')[0] ?? '';
    expect(rotated).not.toBe(admin.cookie);
    const me = await api(s, 'GET', '/api/auth/me', { token: refreshed.body.accessToken });
    expect(me.body.user.id).toBe(admin.user.id);

    const replay = await api(s, 'POST', '/api/auth/refresh', { cookie: admin.cookie });
    expect(replay.status).toBe(401);

    expect((await api(s, 'POST', '/api/auth/logout', { cookie: rotated })).status).toBe(204);
    const afterLogout = await api(s, 'POST', '/api/auth/refresh', { cookie: rotated });
    expect(afterLogout.status).toBe(401);
    expect((await api(s, 'POST', '/api/auth/refresh')).status).toBe(401);
  });

  it('lets only admins manage the team', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const add = await api(s, 'POST', '/api/invitations', {
      token: agent.token,
      body: { name: 'Eve', email: 'eve@example.com' },
    });
    expect(add.status).toBe(403);
    expect(add.body.error.code).toBe('forbidden');
    const promote = await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
      token: agent.token,
      body: { role: 'admin' },
    });
    expect(promote.status).toBe(403);
    const team = await api(s, 'GET', '/api/users', { token: agent.token });
    expect(team.body.items).toHaveLength(2);
    const duplicate = await api(s, 'POST', '/api/invitations', {
      token: admin.token,
      body: { name: 'Again', email: agent.user.email },
    });
    expect(duplicate.status).toBe(409);
    const selfDemote = await api(s, 'PATCH', `/api/users/${admin.user.id}`, {
      token: admin.token,
      body: { role: 'agent' },
    });
    expect(selfDemote.status).toBe(403);
  });

  it('deactivating an agent ends their sessions and disconnects their sockets', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const socket = await connectAgent(s, agent.token);
    const gone = nextEvent(socket, 'disconnect');
    const res = await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ active: false, status: 'offline' });
    await gone;
    expect((await api(s, 'GET', '/api/auth/me', { token: agent.token })).status).toBe(401);
    expect((await api(s, 'POST', '/api/auth/refresh', { cookie: agent.cookie })).status).toBe(401);
    await expect(login(s, agent.user.email, 'agent password 123')).rejects.toThrow(/login failed/);
  });

  it('refuses forged, expired and wrong-algorithm tokens', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const [header, payload] = admin.token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: admin.user.id, role: 'admin', aud: 'parley:agent', iss: 'parley', exp: 9999999999 })).toString('base64url')}.${admin.token.split('.')[2]}`;
    const otherKey = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.user.id)
      .setIssuer('parley')
      .setAudience('parley:agent')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-some-other-secret'));
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.user.id)
      .setIssuer('parley')
      .setAudience('parley:agent')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode('test-secret-test-secret-test-secret-0123'));
    for (const token of [none, tampered, otherKey, expired, 'garbage']) {
      const res = await api(s, 'GET', '/api/auth/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    await expect(connectAgent(s, expired)).rejects.toThrow(/Token expired/);
  });
});
