import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  createToken,
  handshakeError,
  type AgentClient,
  openSocket,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';
import { codeAt } from './totp-code.js';

const server = useServer();
const PASSWORD = { admin: 'correct horse battery', agent: 'agent password 123' };

/** Waits out the last seconds of a period, so "now" is the same step here and at the server. */
async function steadyClock() {
  const into = Date.now() % 30_000;
  if (into > 25_000) await new Promise((r) => setTimeout(r, 30_000 - into + 200));
}

/** Turns two-factor on for the agent as Profile does: set-up, then a code. */
async function enable(s: TestServer, agent: SignedInAgent, steps = 0) {
  const setup = await api(s, 'POST', '/api/auth/two-factor/setup', { token: agent.token });
  expect(setup.status).toBe(200);
  const secret: string = setup.body.secret;
  const confirmed = await api(s, 'POST', '/api/auth/two-factor/confirm', {
    token: agent.token,
    body: { code: codeAt(secret, steps) },
  });
  expect(confirmed.status).toBe(200);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/** The password step: a challenge for the code step. */
async function challengeFor(s: TestServer, email: string, password: string): Promise<string> {
  const res = await api(s, 'POST', '/api/auth/login', { body: { email, password } });
  expect(res.status).toBe(200);
  expect(res.body.accessToken).toBeUndefined();
  expect(res.headers.get('set-cookie')).toBeNull();
  return res.body.twoFactor.challenge;
}

const withCode = (s: TestServer, challenge: string, proof: Record<string, string>) =>
  api(s, 'POST', '/api/auth/login/two-factor', { body: { challenge, ...proof } });

async function row(userId: string) {
  const result = await server.database.db.execute(
    sql`select totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step,
      totp_recovery_hashes from users where id = ${userId}`,
  );
  return (result as unknown as { rows: Record<string, unknown>[] }).rows[0] ?? {};
}

async function audited(action: string, targetId: string) {
  const result = await server.database.db.execute(
    sql`select actor_name from audit_events where action = ${action} and target_id = ${targetId}`,
  );
  return (result as unknown as { rows: unknown[] }).rows.length;
}

describe('two-factor sign-in', () => {
  it('is set up with a code, shows the secret once and keeps it encrypted', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const setup = await api(s, 'POST', '/api/auth/two-factor/setup', { token: admin.token });
    expect(setup.status).toBe(200);
    const secret: string = setup.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/Parley:.*secret=/);
    expect(setup.body.qrSvg).toMatch(/^<svg/);

    const wrong = await api(s, 'POST', '/api/auth/two-factor/confirm', {
      token: admin.token,
      body: { code: codeAt(secret) === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(400);
    expect((await api(s, 'GET', '/api/auth/two-factor', { token: admin.token })).body).toEqual({
      enabled: false,
      enabledAt: null,
      recoveryCodesLeft: 0,
      required: false,
    });

    const confirmed = await api(s, 'POST', '/api/auth/two-factor/confirm', {
      token: admin.token,
      body: { code: codeAt(secret) },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user.twoFactor).toBe(true);
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await audited('two_factor.enabled', admin.user.id)).toBe(1);

    // Never again in a reply: status, me, the team, a second set-up (refused).
    const replies = await Promise.all([
      api(s, 'GET', '/api/auth/two-factor', { token: admin.token }),
      api(s, 'GET', '/api/auth/me', { token: admin.token }),
      api(s, 'GET', '/api/users', { token: admin.token }),
      api(s, 'POST', '/api/auth/two-factor/setup', { token: admin.token }),
    ]);
    expect(replies[3]?.status).toBe(409);
    for (const reply of replies) expect(JSON.stringify(reply.body)).not.toContain(secret);
    expect(replies[0]?.body).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    // At rest: sealed (not the secret, nor its base32 bytes), codes as SHA-256 only.
    const stored = await row(admin.user.id);
    expect(stored.totp_pending_secret).toBeNull();
    expect(String(stored.totp_secret)).toMatch(/^v1\./);
    expect(String(stored.totp_secret)).not.toContain(secret);
    const hashes = stored.totp_recovery_hashes as string[];
    expect(hashes).toHaveLength(10);
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
    for (const c of codes) expect(hashes.join()).not.toContain(c.replace('-', ''));
  });

  it('asks for a code after the password; a wrong or reused code is refused', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { secret } = await enable(s, admin);

    const challenge = await challengeFor(s, admin.user.email, PASSWORD.admin);
    // A challenge is no access token, and an access token no challenge.
    expect((await api(s, 'GET', '/api/auth/me', { token: challenge })).status).toBe(401);
    expect((await withCode(s, admin.token, { code: codeAt(secret, 1) })).status).toBe(401);

    const wrong = await withCode(s, challenge, { code: codeAt(secret, 5) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');

    // The set-up took this step's code; the next step's is within the window.
    const next = codeAt(secret, 1);
    const signedIn = await withCode(s, challenge, { code: next });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.id).toBe(admin.user.id);
    expect(signedIn.headers.get('set-cookie')).toMatch(/^parley_refresh=/);
    const me = await api(s, 'GET', '/api/auth/me', { token: signedIn.body.accessToken });
    expect(me.status).toBe(200);

    // The same code again, with a fresh challenge: taken already.
    const again = await challengeFor(s, admin.user.email, PASSWORD.admin);
    expect((await withCode(s, again, { code: next })).status).toBe(401);
    // And the code of the step before it, too (a step once passed is not taken).
    expect((await withCode(s, again, { code: codeAt(secret, 0) })).status).toBe(401);
  });

  it('takes a code of one step either side of now, not two', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await steadyClock();
    const { secret } = await enable(s, admin, -1);
    const tryCode = async (steps: number) =>
      (
        await withCode(s, await challengeFor(s, admin.user.email, PASSWORD.admin), {
          code: codeAt(secret, steps),
        })
      ).status;
    expect(await tryCode(-2)).toBe(401);
    expect(await tryCode(2)).toBe(401);
    expect(await tryCode(0)).toBe(200);
    expect(await tryCode(1)).toBe(200);
  });

  it('of two requests racing with one code, one signs in', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { secret } = await enable(s, admin);
    const [a, b] = await Promise.all([
      challengeFor(s, admin.user.email, PASSWORD.admin),
      challengeFor(s, admin.user.email, PASSWORD.admin),
    ]);
    const code = codeAt(secret, 1);
    const results = await Promise.all([withCode(s, a, { code }), withCode(s, b, { code })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('takes a recovery code once, as typed in any case, and records it', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { recoveryCodes } = await enable(s, admin);
    const code = recoveryCodes[0] as string;
    const first = await withCode(s, await challengeFor(s, admin.user.email, PASSWORD.admin), {
      recoveryCode: ` ${code.toUpperCase()} `,
    });
    expect(first.status).toBe(200);
    expect(await audited('two_factor.recovery_code_used', admin.user.id)).toBe(1);
    const status = await api(s, 'GET', '/api/auth/two-factor', { token: admin.token });
    expect(status.body.recoveryCodesLeft).toBe(9);
    const second = await withCode(s, await challengeFor(s, admin.user.email, PASSWORD.admin), {
      recoveryCode: code,
    });
    expect(second.status).toBe(401);
  });

  it('limits attempts per challenge, then per account', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { secret } = await enable(s, admin);
    const wrongCode = { code: codeAt(secret, 7) };
    const first = await challengeFor(s, admin.user.email, PASSWORD.admin);
    for (let i = 0; i < 5; i++) expect((await withCode(s, first, wrongCode)).status).toBe(401);
    // The sixth, even with the right code, is refused: type the password again.
    const limited = await withCode(s, first, { code: codeAt(secret, 1) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();

    // The account counted those six and the set-up's code: three more on a fresh challenge,
    // then it refuses too.
    const second = await challengeFor(s, admin.user.email, PASSWORD.admin);
    for (let i = 0; i < 3; i++) expect((await withCode(s, second, wrongCode)).status).toBe(401);
    expect((await withCode(s, second, { code: codeAt(secret, 1) })).status).toBe(429);
  });

  it("does not complete one user's sign-in with another's code or an altered challenge", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const adminTwoFactor = await enable(s, admin);
    const agentTwoFactor = await enable(s, agent);

    const adminChallenge = await challengeFor(s, admin.user.email, PASSWORD.admin);
    const agentCode = codeAt(agentTwoFactor.secret, 1);
    expect((await withCode(s, adminChallenge, { code: agentCode })).status).toBe(401);
    expect(
      (
        await withCode(s, adminChallenge, {
          recoveryCode: agentTwoFactor.recoveryCodes[0] as string,
        })
      ).status,
    ).toBe(401);

    // The challenge's subject changed to the agent: its signature no longer holds.
    const [header, payload, signature] = adminChallenge.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, sub: agent.user.id })).toString('base64url'),
      signature,
    ].join('.');
    const refused = await withCode(s, forged, { code: agentCode });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');

    // The agent's code was not used up by the attempts on the admin's sign-in.
    const agentChallenge = await challengeFor(s, agent.user.email, PASSWORD.agent);
    expect((await withCode(s, agentChallenge, { code: agentCode })).status).toBe(200);
    // Nor the admin's own.
    const adminCode = codeAt(adminTwoFactor.secret, 1);
    expect((await withCode(s, adminChallenge, { code: adminCode })).status).toBe(200);
  });

  it('a changed password voids a challenge given before', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { secret } = await enable(s, admin);
    const challenge = await challengeFor(s, admin.user.email, PASSWORD.admin);
    const changed = await api(s, 'POST', '/api/auth/password', {
      token: admin.token,
      body: { currentPassword: PASSWORD.admin, newPassword: 'another long passphrase 42' },
    });
    expect(changed.status).toBe(200);
    const res = await withCode(s, challenge, { code: codeAt(secret, 1) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it("a deactivated account's challenge leads nowhere; a replaced set-up's code does not confirm", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const { secret } = await enable(s, agent);
    const challenge = await challengeFor(s, agent.user.email, PASSWORD.agent);
    const off = await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    const res = await withCode(s, challenge, { code: codeAt(secret, 1) });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();

    // A set-up asked twice (the QR code scanned on the wrong phone): the first secret is gone.
    const first = await api(s, 'POST', '/api/auth/two-factor/setup', { token: admin.token });
    const second = await api(s, 'POST', '/api/auth/two-factor/setup', { token: admin.token });
    expect(second.body.secret).not.toBe(first.body.secret);
    const stale = await api(s, 'POST', '/api/auth/two-factor/confirm', {
      token: admin.token,
      body: { code: codeAt(first.body.secret) },
    });
    expect(stale.status).toBe(400);
    const confirmed = await api(s, 'POST', '/api/auth/two-factor/confirm', {
      token: admin.token,
      body: { code: codeAt(second.body.secret) },
    });
    expect(confirmed.status).toBe(200);
    // The same code again: on already.
    const again = await api(s, 'POST', '/api/auth/two-factor/confirm', {
      token: admin.token,
      body: { code: codeAt(second.body.secret) },
    });
    expect(again.status).toBe(409);
  });

  it('turns off only with a code, once; new recovery codes need a code too', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { secret, recoveryCodes } = await enable(s, admin);
    const off = (body: unknown) =>
      api(s, 'POST', '/api/auth/two-factor/disable', { token: admin.token, body });
    expect((await off({})).status).toBe(400);
    expect((await off({ code: codeAt(secret, 6) })).status).toBe(400);
    expect((await row(admin.user.id)).totp_enabled_at).not.toBeNull();

    const renewed = await api(s, 'POST', '/api/auth/two-factor/recovery-codes', {
      token: admin.token,
      body: { code: codeAt(secret, 1) },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    // The old codes stopped working.
    expect((await off({ recoveryCode: recoveryCodes[0] })).status).toBe(400);

    const done = await off({ recoveryCode: renewed.body.recoveryCodes[0] });
    expect(done.status).toBe(200);
    expect(done.body.user.twoFactor).toBe(false);
    expect(await audited('two_factor.disabled', admin.user.id)).toBe(1);
    const stored = await row(admin.user.id);
    expect(stored.totp_secret).toBeNull();
    expect(stored.totp_recovery_hashes).toEqual([]);
    expect((await off({ code: codeAt(secret, 1) })).status).toBe(409);
    // Signing in is the password alone again.
    const login = await api(s, 'POST', '/api/auth/login', {
      body: { email: admin.user.email, password: PASSWORD.admin },
    });
    expect(login.body.accessToken).toBeTruthy();
  });

  it('an admin resets a user who lost their phone; an agent cannot', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const other = await createAgent(s, admin);
    await enable(s, agent);
    const path = `/api/users/${agent.user.id}/two-factor/reset`;
    const byAgent = await api(s, 'POST', path, { token: other.token });
    expect(byAgent.status).toBe(403);
    expect((await row(agent.user.id)).totp_enabled_at).not.toBeNull();

    const reset = await api(s, 'POST', path, { token: admin.token });
    expect(reset.status).toBe(200);
    expect(reset.body.user.twoFactor).toBe(false);
    expect(await audited('two_factor.reset_by_admin', agent.user.id)).toBe(1);
    expect((await api(s, 'POST', path, { token: admin.token })).status).toBe(409);
    const unknown = `/api/users/00000000-0000-4000-8000-000000000000/two-factor/reset`;
    expect((await api(s, 'POST', unknown, { token: admin.token })).status).toBe(404);

    const login = await api(s, 'POST', '/api/auth/login', {
      body: { email: agent.user.email, password: PASSWORD.agent },
    });
    expect(login.body.accessToken).toBeTruthy();
  });

  it('when required, a user without it may only set it up, on REST and the socket', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const policy = (token: string, required: boolean) =>
      api(s, 'PATCH', '/api/settings/two-factor', { token, body: { required } });

    // Not an agent's to set; an admin sets up their own first.
    expect((await policy(agent.token, true)).status).toBe(403);
    expect((await policy(admin.token, true)).status).toBe(409);
    await enable(s, admin);
    const adminToken = await createToken(s, admin.token, { name: 'Zapier', scope: 'full' });
    expect((await policy(admin.token, true)).body).toEqual({ required: true });
    expect(await audited('two_factor_policy.changed', 'two_factor_policy')).toBe(1);
    expect((await api(s, 'GET', '/api/settings/two-factor', { token: admin.token })).body).toEqual({
      required: true,
    });

    const confined = await api(s, 'GET', '/api/conversations', { token: agent.token });
    expect(confined.status).toBe(403);
    expect(confined.body.error.code).toBe('two_factor_required');
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['GET', '/api/auth/sessions'],
      ['PATCH', '/api/auth/me'],
    ] as const) {
      const body = method === 'GET' ? undefined : { name: 'X' };
      const res = await api(s, method, path, { token: agent.token, body });
      expect(res.body.error?.code).toBe('two_factor_required');
    }
    expect((await api(s, 'GET', '/api/auth/me', { token: agent.token })).status).toBe(200);
    const status = await api(s, 'GET', '/api/auth/two-factor', { token: agent.token });
    expect(status.body).toMatchObject({ enabled: false, required: true });
    const socket = openSocket(s, '/agent', { token: agent.token });
    expect((await handshakeError(socket)).data).toEqual({ code: 'two_factor_required' });
    // Turning it off is refused while required.
    expect(
      (
        await api(s, 'POST', '/api/auth/two-factor/disable', {
          token: admin.token,
          body: { recoveryCode: 'aaaaa-aaaaa' },
        })
      ).status,
    ).toBe(409);

    // Set up: everything again.
    await enable(s, agent);
    expect((await api(s, 'GET', '/api/conversations', { token: agent.token })).status).toBe(200);
    const connected = await connectAgent(s, agent.token);
    expect(connected.connected).toBe(true);

    // An API token is no person's sign-in: not confined even when its person is.
    const selfReset = await api(s, 'POST', `/api/users/${admin.user.id}/two-factor/reset`, {
      token: admin.token,
    });
    expect(selfReset.status).toBe(200);
    const adminConfined = await api(s, 'GET', '/api/conversations', { token: admin.token });
    expect(adminConfined.body.error.code).toBe('two_factor_required');
    const byToken = await api(s, 'GET', '/api/conversations', { token: adminToken.secret });
    expect(byToken.status).toBe(200);
    // Sign-out stays open.
    expect((await api(s, 'POST', '/api/auth/logout', { cookie: agent.cookie })).status).toBe(204);
  });

  it("ends the open dashboards of those it now confines, not an API token's socket", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const other = await createAgent(s, admin, { name: 'Other Agent' });
    await enable(s, admin);
    await enable(s, other);
    const token = await createToken(s, admin.token, { name: 'Zapier', scope: 'full' });
    const ended = (socket: AgentClient) =>
      new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const agentDesk = await connectAgent(s, agent.token);
    const otherDesk = await connectAgent(s, other.token);
    const integration = await connectAgent(s, token.secret);
    const agentEnded = ended(agentDesk);

    const on = await api(s, 'PATCH', '/api/settings/two-factor', {
      token: admin.token,
      body: { required: true },
    });
    expect(on.status).toBe(200);
    // At once, not when its access token runs out: no more of the team's chats reach it.
    expect(await agentEnded).toBe('io server disconnect');
    const again = openSocket(s, '/agent', { token: agent.token });
    expect((await handshakeError(again)).data).toEqual({ code: 'two_factor_required' });
    // Those with two-factor, and integrations, go on.
    expect(otherDesk.connected).toBe(true);
    expect(integration.connected).toBe(true);
    // A second, identical change confines nobody new and ends nothing.
    await api(s, 'PATCH', '/api/settings/two-factor', {
      token: admin.token,
      body: { required: true },
    });

    // While required, an admin's reset confines that person: their open dashboard ends too.
    const otherEnded = ended(otherDesk);
    const reset = await api(s, 'POST', `/api/users/${other.user.id}/two-factor/reset`, {
      token: admin.token,
    });
    expect(reset.status).toBe(200);
    expect(await otherEnded).toBe('io server disconnect');
    expect(integration.connected).toBe(true);
  });

  it('is not for API tokens to set up', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const token = await createToken(s, admin.token, { name: 'CI', scope: 'full' });
    const res = await api(s, 'POST', '/api/auth/two-factor/setup', { token: token.secret });
    expect(res.status).toBe(403);
    expect((await row(admin.user.id)).totp_pending_secret).toBeNull();
  });
});
