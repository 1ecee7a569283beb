import type { AuthReply, SetupReply, SsoSettingsPatch, SsoSettingsReply } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import { insertPasswordReset } from '../src/db/email.js';
import { hashResetToken } from '../src/services/password-reset.js';
import {
  api,
  createAdmin,
  createAgent,
  createToken,
  login,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';
import { codeAt } from './totp-code.js';
import { startOidcProvider, type TestProvider } from './support/oidc-provider.js';

// Single sign-on with OpenID Connect (issue 36, item 2), against a real provider
// (oidc-provider) on 127.0.0.1, walked with real HTTP: Parley's start route, the provider's
// sign-in and consent pages (its development ones), then Parley's callback, redirects followed
// by hand. Parley's address is PUBLIC_URL, so its redirect URI is fixed before it starts.

const PUBLIC_URL = 'http://parley.test';
const CALLBACK = `${PUBLIC_URL}/api/auth/sso/callback`;
const SECRET = 'parley-client-secret-9f2c';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startOidcProvider([
    { clientId: 'parley', clientSecret: SECRET, redirectUris: [CALLBACK] },
    // Another application at the same provider, whose codes must not sign anyone in here.
    { clientId: 'other-app', clientSecret: 'other-secret', redirectUris: [CALLBACK] },
  ]);
  const people: Array<[string, string, boolean, string]> = [
    ['ann', 'ann@acme.example', true, 'Ann Acme'],
    ['una', 'una@acme.example', false, 'Una Unverified'],
    ['ned', 'ned@elsewhere.example', true, 'Ned Elsewhere'],
    ['ivy', 'ivy@elsewhere.example', true, 'Ivy at the Provider'],
  ];
  for (const [id, email, emailVerified, name] of people) {
    provider.accounts.set(id, { email, emailVerified, name });
  }
});
afterAll(() => provider?.close());

// The dashboard may also be served apart from the server, from this origin (DASHBOARD_ORIGINS).
const DESK = 'http://desk.example';
const server = useServer({ env: { PUBLIC_URL, DASHBOARD_ORIGINS: DESK } });

const configure = (s: TestServer, admin: SignedInAgent, body: SsoSettingsPatch) =>
  api<SsoSettingsReply>(s, 'PATCH', '/api/settings/sso', { token: admin.token, body });

async function switchOn(s: TestServer, admin: SignedInAgent, more: SsoSettingsPatch = {}) {
  const res = await configure(s, admin, {
    enabled: true,
    name: 'Acme ID',
    issuer: provider.issuer,
    clientId: 'parley',
    clientSecret: SECRET,
    allowedDomains: ['acme.example'],
    ...more,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.settings;
}

/** The provider's cookies, kept between its pages as a browser would. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Signs `accountId` in at the provider from an authorization URL, through its sign-in and
 * consent pages, and returns where it sends the browser back (Parley's callback and its query).
 */
async function throughProvider(authorizationUrl: string, accountId: string): Promise<URL> {
  const jar = new CookieJar();
  let next: { url: string; form?: URLSearchParams } = { url: authorizationUrl };
  for (let step = 0; step < 12; step++) {
    const res = await fetch(next.url, {
      method: next.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(next.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: next.form?.toString(),
    });
    jar.take(res);
    const location = res.headers.get('location');
    if (location) {
      const target = new URL(location, next.url);
      if (target.href.startsWith(CALLBACK)) return target;
      next = { url: target.href };
      continue;
    }
    const page = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (res.status !== 200 || !action) throw new Error(`provider said ${res.status}: ${page}`);
    const url = new URL(action.replaceAll('&amp;', '&'), next.url).href;
    next = page.includes('name="login"')
      ? { url, form: new URLSearchParams({ prompt: 'login', login: accountId, password: 'x' }) }
      : { url, form: new URLSearchParams({ prompt: 'consent' }) };
  }
  throw new Error('the provider never sent the browser back');
}

type Started = { location: URL; cookie: string };

/** `GET /api/auth/sso/start`: where Parley sends the browser, and its flow cookie. */
async function start(s: TestServer, query = ''): Promise<Started> {
  const res = await fetch(`${s.url}/api/auth/sso/start${query}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('parley_sso='));
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/Path=\/api\/auth\/sso\/callback/);
  return {
    location: new URL(res.headers.get('location') ?? ''),
    cookie: setCookie!.split(';')[0]!,
  };
}

/** Parley's callback with the provider's answer: where it sends the browser, and cookies. */
async function callback(s: TestServer, answer: URL, cookie: string | null) {
  const res = await fetch(`${s.url}/api/auth/sso/callback${answer.search}`, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
  const refresh = res.headers.getSetCookie().find((c) => c.startsWith('parley_refresh='));
  return { status: res.status, location: res.headers.get('location'), refresh };
}

/** The whole way: start, the provider's pages as `accountId`, the callback. */
async function signInAs(s: TestServer, accountId: string) {
  const started = await start(s);
  const answer = await throughProvider(started.location.href, accountId);
  return { ...(await callback(s, answer, started.cookie)), answer, started };
}

/** The session the dashboard picks up after the redirect: the refresh cookie's sign-in. */
async function pickUp(s: TestServer, refreshCookie: string | undefined) {
  const res = await api<AuthReply>(s, 'POST', '/api/auth/refresh', {
    cookie: refreshCookie?.split(';')[0],
  });
  return res;
}

const countUsers = async () => {
  const rows = await rowsOf<{ n: number }>(
    server.database.db,
    sql`select count(*)::int as n from users`,
  );
  return Number(rows[0]?.n);
};

describe('single sign-on: abuse', () => {
  it('refuses a callback without its cookie, with another flow’s cookie, and a replayed one', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin);

    const first = await signInAs(s, 'ann');
    expect(first.location).toBe('/');
    expect(first.refresh).toMatch(/HttpOnly/i);

    // The same answer again, cookie and all (a replay): refused before reaching the provider.
    const replay = await callback(s, first.answer, first.started.cookie);
    expect(replay.location).toBe('/login?sso=expired');
    expect(replay.refresh).toBeUndefined();

    // A fresh answer, but with no cookie, or another flow's (state and nonce differ).
    const mine = await start(s);
    const other = await start(s);
    const answer = await throughProvider(mine.location.href, 'ann');
    expect((await callback(s, answer, null)).location).toBe('/login?sso=expired');
    expect((await callback(s, answer, other.cookie)).location).toBe('/login?sso=expired');
    // A forged cookie (the flow's values, signed with another key).
    const forged = `parley_sso=${other.cookie.split('=')[1]!.slice(0, -4)}AAAA`;
    expect((await callback(s, answer, forged)).location).toBe('/login?sso=expired');
    // Its own cookie still works: the refusals used nothing up.
    const ok = await callback(s, answer, mine.cookie);
    expect(ok.location).toBe('/');
    expect((await pickUp(s, ok.refresh)).body.user.email).toBe('ann@acme.example');
  });

  it('comes back from the provider through a page of its own before it signs in (SameSite)', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin);
    const started = await start(s);
    const answer = await throughProvider(started.location.href, 'ann');
    // As a browser arrives from the provider's site: a page that comes back here, nothing used.
    const hop = await fetch(`${s.url}/api/auth/sso/callback${answer.search}`, {
      redirect: 'manual',
      headers: { cookie: started.cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(hop.status).toBe(200);
    expect(hop.headers.getSetCookie()).toEqual([]);
    const page = await hop.text();
    const refresh = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(page)?.[1];
    expect(refresh?.replaceAll('&amp;', '&')).toBe(`/api/auth/sso/callback${answer.search}`);
    // Then from the page itself (same origin): signed in.
    const res = await fetch(`${s.url}${refresh!.replaceAll('&amp;', '&')}`, {
      redirect: 'manual',
      headers: { cookie: started.cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('parley_refresh='))).toBe(true);
  });

  it('refuses a code the provider issued to another application', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin);
    const mine = await start(s);
    // The attacker's own authorization, for another client of the same provider, with this
    // flow's state, nonce and PKCE challenge, delivered to Parley's callback.
    const forOther = new URL(mine.location);
    forOther.searchParams.set('client_id', 'other-app');
    const answer = await throughProvider(forOther.href, 'ann');
    expect(answer.searchParams.get('code')).toBeTruthy();
    const res = await callback(s, answer, mine.cookie);
    expect(res.location).toBe('/login?sso=failed');
    expect(res.refresh).toBeUndefined();
    expect(await countUsers()).toBe(1);
  });

  it('refuses an unverified email, and a domain not allowed without an invitation', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin);
    const unverified = await signInAs(s, 'una');
    expect(unverified.location).toBe('/login?sso=unverified');
    expect(unverified.refresh).toBeUndefined();
    const elsewhere = await signInAs(s, 'ned');
    expect(elsewhere.location).toBe('/login?sso=not_allowed');
    expect(await countUsers()).toBe(1);
    // Invited addresses only (no domains): acme.example no longer makes accounts either.
    await configure(s, admin, { allowedDomains: [] });
    expect((await signInAs(s, 'ann')).location).toBe('/login?sso=not_allowed');
    expect(await countUsers()).toBe(1);
  });

  it('refuses a deactivated account and says so on the login page', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin);
    const first = await signInAs(s, 'ann');
    const ann = (await pickUp(s, first.refresh)).body.user;
    const off = await api(s, 'PATCH', `/api/users/${ann.id}`, {
      token: admin.token,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    expect((await signInAs(s, 'ann')).location).toBe('/login?sso=disabled');
  });

  it('with "SSO only", refuses passwords (sign-in and reset) for all but the break-glass admin', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    await switchOn(s, admin, { ssoOnly: true, breakGlassUserId: admin.user.id });

    const refused = await api(s, 'POST', '/api/auth/login', {
      body: { email: agent.user.email, password: 'agent password 123' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/sign in with Acme ID/);
    expect(refused.headers.get('set-cookie')).toBeNull();
    // A wrong password is told as before: the refusal says nothing to someone guessing.
    const wrong = await api(s, 'POST', '/api/auth/login', {
      body: { email: agent.user.email, password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect((await login(s, admin.user.email, 'correct horse battery')).user.id).toBe(admin.user.id);

    // A reset link (made before "SSO only", say) sets no password but the break-glass admin's.
    const linkFor = async (userId: string) => {
      const token = randomBytes(32).toString('base64url');
      await insertPasswordReset(server.database.db, {
        userId,
        tokenHash: hashResetToken(token),
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      return token;
    };
    const newPassword = 'violet-harbour-candle-42';
    const agentReset = await api(s, 'POST', '/api/auth/password-reset/confirm', {
      body: { token: await linkFor(agent.user.id), password: newPassword },
    });
    expect(agentReset.status).toBe(403);
    const adminReset = await api(s, 'POST', '/api/auth/password-reset/confirm', {
      body: { token: await linkFor(admin.user.id), password: newPassword },
    });
    expect(adminReset.status).toBe(204);

    // The login page is told to show the button in place of the password form.
    const setup = await api<SetupReply>(s, 'GET', '/api/auth/setup');
    expect(setup.body.sso).toEqual({ name: 'Acme ID', ssoOnly: true });
  });

  it('lets only a signed-in admin read and change the settings; the secret is in no reply', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const settings = await switchOn(s, admin);
    expect(settings).toMatchObject({ clientSecretSet: true, redirectUri: CALLBACK });

    expect((await api(s, 'GET', '/api/settings/sso', { token: agent.token })).status).toBe(403);
    const byAgent = await api(s, 'PATCH', '/api/settings/sso', {
      token: agent.token,
      body: { issuer: 'https://evil.example' },
    });
    expect(byAgent.status).toBe(403);
    // An admin's API token may not point sign-in at another provider either.
    const { secret: apiToken } = await createToken(s, admin.token, { name: 'CI', scope: 'full' });
    const byToken = await api(s, 'PATCH', '/api/settings/sso', {
      token: apiToken,
      body: { issuer: 'https://evil.example' },
    });
    expect(byToken.status, JSON.stringify(byToken.body)).toBe(403);

    const replies = [
      await api(s, 'GET', '/api/settings/sso', { token: admin.token }),
      await configure(s, admin, { name: 'Acme ID' }),
      await api(s, 'GET', '/api/auth/setup'),
      await api(s, 'GET', '/api/openapi.json'),
    ];
    for (const reply of replies) expect(JSON.stringify(reply.body)).not.toContain(SECRET);
    // Nor in the database as it is, nor in the audit log, which records the change.
    const stored = await rowsOf(server.database.db, sql`select value::text as v from settings`);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    const audit = await rowsOf<{ details: unknown }>(
      server.database.db,
      sql`select details from audit_events where action = 'sso.changed' order by at`,
    );
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit[0]?.details).toMatchObject({
      before: { enabled: false, issuer: '' },
      after: { enabled: true, issuer: provider.issuer },
    });
  });

  it('takes as break-glass admin only an active admin, and "SSO only" never without one', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const other = await createAgent(s, admin, { role: 'admin' });
    await switchOn(s, admin);
    const refusals: SsoSettingsPatch[] = [
      { ssoOnly: true },
      { ssoOnly: true, breakGlassUserId: agent.user.id },
      { ssoOnly: true, breakGlassUserId: '0190a000-0000-7000-8000-000000000000' },
    ];
    await api(s, 'PATCH', `/api/users/${other.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    refusals.push({ ssoOnly: true, breakGlassUserId: other.user.id });
    for (const body of refusals) {
      const res = await configure(s, admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await api<SsoSettingsReply>(s, 'GET', '/api/settings/sso', { token: admin.token })).body
        .settings.ssoOnly,
    ).toBe(false);
  });

  it('keeps the break-glass admin an active admin while "SSO only" is on', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const keeper = await createAgent(s, admin, { role: 'admin', name: 'Kim Keeper' });
    await switchOn(s, admin, { ssoOnly: true, breakGlassUserId: keeper.user.id });
    const change = (body: Record<string, unknown>) =>
      api(s, 'PATCH', `/api/users/${keeper.user.id}`, { token: admin.token, body });

    // Demoted or deactivated, nobody could sign in the day the provider fails.
    for (const body of [{ role: 'agent' }, { active: false }, { role: 'agent', active: false }]) {
      const res = await change(body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.message).toMatch(/break-glass admin/);
    }
    const row = await api<{ items: { id: string; role: string; active: boolean }[] }>(
      s,
      'GET',
      '/api/users',
      { token: admin.token },
    );
    expect(row.body.items.find((u) => u.id === keeper.user.id)).toMatchObject({
      role: 'admin',
      active: true,
    });
    expect((await login(s, keeper.user.email, 'agent password 123')).user.id).toBe(keeper.user.id);
    // Anything else about them changes as before.
    expect((await change({ name: 'Kim K.', capacity: 3 })).status).toBe(200);

    // With another break-glass admin, or "SSO only" off, they can be changed.
    expect((await configure(s, admin, { breakGlassUserId: admin.user.id })).status).toBe(200);
    expect((await change({ role: 'agent' })).status).toBe(200);
  });

  it('checks the issuer on save: one that cannot be discovered, or plain http elsewhere, is a 400', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const base = { name: 'X', clientId: 'parley', clientSecret: SECRET, enabled: true };
    const nowhere = await configure(s, admin, { ...base, issuer: 'http://127.0.0.1:9/realms/x' });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body).toMatchObject({ error: { message: /could not be discovered/ } });
    const plain = await configure(s, admin, { ...base, issuer: 'http://idp.example.com' });
    expect(plain.status).toBe(400);
    const incomplete = await configure(s, admin, { enabled: true, name: 'X' });
    expect(incomplete.status).toBe(400);
    const setup = await api<SetupReply>(s, 'GET', '/api/auth/setup');
    expect(setup.body.sso).toBeNull();
    // Off, start says so on the login page rather than failing.
    const res = await fetch(`${s.url}/api/auth/sso/start`, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe('/login?sso=off');
  });
});

describe('single sign-on: a dashboard served elsewhere', () => {
  it('brings it the session by a one-time ticket, and only to a listed origin', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin);

    // Any other origin would be told where to send a signed-in person's ticket: refused first.
    const evil = await fetch(
      `${s.url}/api/auth/sso/start?dashboard=${encodeURIComponent('http://evil.example')}`,
      { redirect: 'manual' },
    );
    expect(evil.status).toBe(302);
    expect(evil.headers.get('location')).toBe('/login?sso=failed');
    // No flow was started for it: no flow cookie with a value.
    expect(evil.headers.getSetCookie().filter((c) => /^parley_sso=[^;]/.test(c))).toEqual([]);

    const started = await start(s, `?dashboard=${encodeURIComponent(DESK)}`);
    const answer = await throughProvider(started.location.href, 'ann');
    const back = await callback(s, answer, started.cookie);
    expect(back.status).toBe(302);
    // No cookie here: one set now would belong to the server's site, out of the desk's reach.
    expect(back.refresh).toBeUndefined();
    const ticket = /^http:\/\/desk\.example\/login#sso=([\w.-]+)$/.exec(back.location ?? '')?.[1];
    expect(ticket, back.location ?? '').toBeTruthy();

    const redeem = (body: unknown) =>
      api<AuthReply>(s, 'POST', '/api/auth/sso/redeem', { body, headers: { origin: DESK } });
    const taken = await redeem({ ticket });
    expect(taken.status).toBe(200);
    expect(taken.body.user.email).toBe('ann@acme.example');
    expect(taken.headers.get('set-cookie')).toMatch(/^parley_refresh=.*Partitioned/i);
    const me = await api(s, 'GET', '/api/auth/me', { token: taken.body.accessToken });
    expect(me.status).toBe(200);
    // The session goes on by its own cookie, as after a password.
    expect((await pickUp(s, taken.headers.get('set-cookie') ?? undefined)).status).toBe(200);

    // Once: a second, identical request, an altered ticket and nonsense are refused alike.
    const again = await redeem({ ticket });
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
    const altered = `${ticket!.slice(0, -4)}${ticket!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect((await redeem({ ticket: altered })).status).toBe(401);
    expect((await redeem({ ticket: 'x' })).status).toBe(401);
    expect((await redeem({})).status).toBe(400);

    // A failure goes back to the desk too, with its reason.
    const ned = await start(s, `?dashboard=${encodeURIComponent(DESK)}`);
    const nedBack = await callback(s, await throughProvider(ned.location.href, 'ned'), ned.cookie);
    expect(nedBack.location).toBe(`${DESK}/login?sso=not_allowed`);
  });
});

describe('single sign-on: signing in', () => {
  it('makes an agent on a first sign-in of an allowed domain, and finds them again by subject', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin);
    const first = await signInAs(s, 'ann');
    expect(first.location).toBe('/');
    const session = await pickUp(s, first.refresh);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({
      email: 'ann@acme.example',
      name: 'Ann Acme',
      role: 'agent',
      active: true,
    });
    // The access token works like a password sign-in's.
    const me = await api(s, 'GET', '/api/auth/me', { token: session.body.accessToken });
    expect(me.body.user.id).toBe(session.body.user.id);

    // Her address changes at the provider: she is still the same agent (issuer and subject).
    provider.accounts.set('ann', {
      ...provider.accounts.get('ann')!,
      email: 'ann.new@acme.example',
    });
    try {
      const again = await signInAs(s, 'ann');
      expect((await pickUp(s, again.refresh)).body.user.id).toBe(session.body.user.id);
    } finally {
      provider.accounts.set('ann', { ...provider.accounts.get('ann')!, email: 'ann@acme.example' });
    }
    expect(await countUsers()).toBe(2);
    // Her account was added by the sign-in, once, and says so in the audit log.
    const added = await rowsOf<{ actor_id: string; target_id: string; details: unknown }>(
      server.database.db,
      sql`select actor_id, target_id, details from audit_events where action = 'user.added'`,
    );
    expect(added).toEqual([
      {
        actor_id: session.body.user.id,
        target_id: session.body.user.id,
        details: { via: 'sso', role: 'agent', issuer: provider.issuer },
      },
    ]);
  });

  it('links an existing account by its verified address, and makes an invited one as invited', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin, { allowedDomains: [] });
    // An agent added with a password before SSO: their provider account links to them.
    const invitedEarlier = await api(s, 'POST', '/api/invitations', {
      token: admin.token,
      body: {
        name: 'Ivy Invited',
        email: 'ivy@elsewhere.example',
        role: 'admin',
        sendEmail: false,
      },
    });
    expect(invitedEarlier.status).toBe(201);
    const ivy = await signInAs(s, 'ivy');
    expect(ivy.location).toBe('/');
    const user = (await pickUp(s, ivy.refresh)).body.user;
    // The invitation's name and role, not the provider's name; the invitation is used.
    expect(user).toMatchObject({
      email: 'ivy@elsewhere.example',
      name: 'Ivy Invited',
      role: 'admin',
    });
    const open = await rowsOf(
      server.database.db,
      sql`select 1 from invitations where accepted_at is null and revoked_at is null`,
    );
    expect(open.length).toBe(0);

    // The first admin (made with a password) signs in through the provider as the same address.
    await server.database.db.execute(
      sql`update users set email = 'ned@elsewhere.example' where id = ${admin.user.id}`,
    );
    const ned = await signInAs(s, 'ned');
    expect((await pickUp(s, ned.refresh)).body.user.id).toBe(admin.user.id);
    // The log holds Ivy's acceptance and joining, and the link of the admin's account.
    const actions = await rowsOf<{ action: string; target_id: string }>(
      server.database.db,
      sql`select action, target_id from audit_events
          where action in ('invitation.accepted', 'user.added', 'sso.linked') order by at, id`,
    );
    expect(actions.map((a) => a.action).sort()).toEqual([
      'invitation.accepted',
      'sso.linked',
      'user.added',
    ]);
    expect(actions.find((a) => a.action === 'sso.linked')?.target_id).toBe(admin.user.id);
  });

  it('asks the code of a user with two-factor on, as after a password, and signs in only then', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await switchOn(s, admin, { allowedDomains: [] });
    await server.database.db.execute(
      sql`update users set email = 'ned@elsewhere.example' where id = ${admin.user.id}`,
    );
    const setup = await api(s, 'POST', '/api/auth/two-factor/setup', { token: admin.token });
    const secret: string = setup.body.secret;
    const code = (steps = 0) => codeAt(secret, steps);
    expect(
      (
        await api(s, 'POST', '/api/auth/two-factor/confirm', {
          token: admin.token,
          body: { code: code(-1) },
        })
      ).status,
    ).toBe(200);

    const ned = await signInAs(s, 'ned');
    // No session yet: the login page's code step, the challenge in the fragment.
    expect(ned.refresh).toBeUndefined();
    const challenge = /^\/login#two-factor=([\w.-]+)$/.exec(ned.location ?? '')?.[1];
    expect(challenge).toBeTruthy();
    const wrong = await api(s, 'POST', '/api/auth/login/two-factor', {
      body: { challenge, code: '000000' },
    });
    expect(wrong.status).toBe(401);
    const signedIn = await api<AuthReply>(s, 'POST', '/api/auth/login/two-factor', {
      body: { challenge, code: code() },
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.id).toBe(admin.user.id);
  });
});
