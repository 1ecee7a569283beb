import type { AuthReply } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { api, createAdmin, createAgent, openSocket, type Reply } from './factories.js';
import { useServer } from './harness.js';

// The dashboard built with VITE_PARLEY_API_URL and served by a static host on another port.
const DASHBOARD = 'http://127.0.0.1:5173';
const server = useServer({ env: { DASHBOARD_ORIGINS: `https://app.example.com,${DASHBOARD}` } });

const fromDashboard = { origin: DASHBOARD };
const cookieOf = (res: Reply) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

/** What a browser checks before it hands a cross-origin reply to the dashboard's script. */
function expectReadableByDashboard(res: Reply) {
  expect(res.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
  expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  expect(res.headers.get('vary')).toMatch(/origin/i);
}

describe('a dashboard on another origin (DASHBOARD_ORIGINS)', () => {
  it('signs in, refreshes with its cookie, reads /me and signs out, across origins', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);

    // The browser asks first: a JSON POST with credentials is not a simple request.
    const preflight = await api(s, 'OPTIONS', '/api/auth/login', {
      headers: {
        ...fromDashboard,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expectReadableByDashboard(preflight);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type',
    );

    const login = await api<AuthReply>(s, 'POST', '/api/auth/login', {
      headers: fromDashboard,
      body: { email: agent.user.email, password: 'agent password 123' },
    });
    expect(login.status).toBe(200);
    expectReadableByDashboard(login);
    // Sent with the dashboard's cross-site fetches only as SameSite=None, which needs Secure.
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^parley_refresh=/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=None', 'Partitioned']) {
      expect(setCookie).toContain(attribute);
    }
    expect(setCookie).toMatch(/Path=\/api\/auth/);

    const refreshed = await api<AuthReply>(s, 'POST', '/api/auth/refresh', {
      headers: fromDashboard,
      cookie: cookieOf(login),
    });
    expect(refreshed.status).toBe(200);
    expectReadableByDashboard(refreshed);
    expect(refreshed.body.user.id).toBe(agent.user.id);

    const me = await api(s, 'GET', '/api/auth/me', {
      headers: fromDashboard,
      token: refreshed.body.accessToken,
    });
    expect(me.status).toBe(200);
    expectReadableByDashboard(me);
    expect(me.body.user.email).toBe(agent.user.email);

    const logout = await api(s, 'POST', '/api/auth/logout', {
      headers: fromDashboard,
      cookie: cookieOf(refreshed),
    });
    expect(logout.status).toBe(204);
    expectReadableByDashboard(logout);
    // Cleared with the attributes it was set with, or the browser keeps the old one.
    expect(logout.headers.get('set-cookie')).toMatch(/parley_refresh=;.*SameSite=None/);
    const after = await api(s, 'POST', '/api/auth/refresh', {
      headers: fromDashboard,
      cookie: cookieOf(refreshed),
    });
    expect(after.status).toBe(401);
  });

  it("connects the agent's socket from the dashboard's origin", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const socket = openSocket(s, '/agent', { token: admin.token }, { headers: fromDashboard });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const reply: unknown = await socket.timeout(5000).emitWithAck('sync', { conversations: {} });
    expect(reply).toMatchObject({ ok: true });
  });

  it("still serves its own pages, with no CORS header they don't need", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const me = await api(s, 'GET', '/api/auth/me', {
      headers: { origin: s.url },
      token: admin.token,
    });
    expect(me.status).toBe(200);
    expect(me.headers.get('access-control-allow-origin')).toBeNull();
  });
});
