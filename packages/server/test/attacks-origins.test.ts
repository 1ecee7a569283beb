import { beforeAll, describe, expect, it } from 'vitest';
import { attack as attackOn, refusal } from './attack-kit.js';
import {
  api,
  createAdmin,
  handshakeError,
  openSocket,
  type Reply,
  type SignedInAgent,
} from './factories.js';
import { useServer } from './harness.js';

/**
 * The attack suite, for a dashboard deployed on another origin (DASHBOARD_ORIGINS): the list
 * opens the API to exactly those origins, with credentials, and to nothing that resembles them.
 * Each refusal is checked beside the listed origin being let in, so the list is known to work.
 */
const DASHBOARD = 'http://127.0.0.1:5173';
const server = useServer({ shared: true, env: { DASHBOARD_ORIGINS: DASHBOARD } });
const attack = (run: () => Promise<void>) => attackOn(server.database, run);

// Origins a careless match (prefix, suffix, host only, scheme-less) would let through.
const LOOKALIKES = [
  'http://127.0.0.1:5174',
  'https://127.0.0.1:5173',
  'http://localhost:5173',
  'http://127.0.0.1:51730',
  'http://127.0.0.1:5173.evil.example',
  'http://evil.example',
  'null',
];

let admin: SignedInAgent;

beforeAll(async () => {
  admin = await createAdmin(server.current);
});

function expectNoCors(res: Reply) {
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  expect(res.headers.get('access-control-allow-methods')).toBeNull();
}

describe('dashboard origins', () => {
  it('1. REST from an origin that only resembles the listed one is refused, with no CORS', async () => {
    await attack(async () => {
      for (const origin of LOOKALIKES) {
        const res = await api(server.current, 'GET', '/api/auth/me', {
          token: admin.token,
          headers: { origin },
        });
        expect(res.status, origin).toBe(403);
        expect(res.body).toEqual(refusal('forbidden', 'Origin not allowed'));
        expectNoCors(res);
      }
    });
    const listed = await api(server.current, 'GET', '/api/auth/me', {
      token: admin.token,
      headers: { origin: DASHBOARD },
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
  });

  it('2. a preflight from another origin is refused, so the browser sends nothing', async () => {
    const preflight = (origin: string) =>
      api(server.current, 'OPTIONS', '/api/users', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    await attack(async () => {
      for (const origin of LOOKALIKES) {
        const res = await preflight(origin);
        expect(res.status, origin).toBe(403);
        expectNoCors(res);
      }
    });
    expect((await preflight(DASHBOARD)).status).toBe(204);
  });

  it('3. a cross-site refresh or logout carrying the cookie (CSRF) is refused and rotates nothing', async () => {
    // SameSite=None sends the cookie with any site's request: the Origin check must hold it.
    await attack(async () => {
      for (const path of ['/api/auth/refresh', '/api/auth/logout']) {
        const res = await api(server.current, 'POST', path, {
          cookie: admin.cookie,
          headers: { origin: 'http://evil.example' },
        });
        expect(res.status, path).toBe(403);
        expect(res.body).toEqual(refusal('forbidden', 'Origin not allowed'));
        expect(res.headers.get('set-cookie')).toBeNull();
        expectNoCors(res);
      }
    });
    // The same cookie is still the live one: nothing was rotated or revoked.
    const refreshed = await api(server.current, 'POST', '/api/auth/refresh', {
      cookie: admin.cookie,
      headers: { origin: DASHBOARD },
    });
    expect(refreshed.status).toBe(200);
    admin = {
      ...admin,
      token: refreshed.body.accessToken,
      cookie: (refreshed.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    };
  });

  it('4. a sign-in with the right password from another origin is refused and opens no session', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/auth/login', {
        headers: { origin: 'http://127.0.0.1:5174' },
        body: { email: admin.user.email, password: 'correct horse battery' },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
      expectNoCors(res);
    }));

  it('5. an agent socket from an origin not on the list is refused even with a valid token', async () => {
    await attack(async () => {
      for (const origin of LOOKALIKES) {
        const socket = openSocket(
          server.current,
          '/agent',
          { token: admin.token },
          { headers: { origin } },
        );
        const error = await handshakeError(socket);
        expect(error.message, origin).toBe('Origin not allowed');
        expect(error.data).toEqual({ code: 'forbidden' });
        socket.disconnect();
      }
    });
    const listed = openSocket(
      server.current,
      '/agent',
      { token: admin.token },
      { headers: { origin: DASHBOARD } },
    );
    await new Promise<void>((resolve, reject) => {
      listed.once('connect', resolve);
      listed.once('connect_error', reject);
    });
  });
});
