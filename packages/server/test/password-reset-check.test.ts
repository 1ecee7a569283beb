import type { ParsedMail } from 'mailparser';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attack as attackOn } from './attack-kit.js';
import { api, createAdmin, createAgent, waitFor, type SignedInAgent } from './factories.js';
import { useServer, type TestServer } from './harness.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

// Issue 32, item 15: the page of a reset link asks whether the link still works before it shows
// a form. The check uses nothing, tells a wrong token only "not valid", and counts against the
// same limit as the reset itself.
let smtp: TestSmtp;
const env: Record<string, string> = {
  MAIL_FROM: 'Acme Support <support@acme.example>',
  PUBLIC_URL: 'https://chat.acme.example',
};

beforeAll(async () => {
  smtp = await startSmtp();
  env.SMTP_URL = smtp.url;
});
afterAll(() => smtp.close());

const server = useServer({ env });

const toOf = (mail: ParsedMail) => (mail.to && 'text' in mail.to ? mail.to.text : '');

/** Asks for a reset link for the agent and returns its token, as the email carries it. */
async function resetLink(s: TestServer, agent: SignedInAgent): Promise<string> {
  const before = smtp.received.filter((m) => toOf(m) === agent.user.email).length;
  await api(s, 'POST', '/api/auth/password-reset', { body: { email: agent.user.email } });
  await waitFor(
    () => smtp.received.filter((m) => toOf(m) === agent.user.email).length > before,
    10_000,
  );
  const mail = smtp.received.filter((m) => toOf(m) === agent.user.email)[before];
  const token = /reset-password#token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error('no token in the mail');
  return token;
}

const check = (s: TestServer, token: string) =>
  api(s, 'POST', '/api/auth/password-reset/check', { body: { token } });

describe('POST /api/auth/password-reset/check', () => {
  it('says a fresh link works, without using it; once used or expired, that it does not', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Bob Agent' });
    const token = await resetLink(s, agent);

    // Checked twice: still usable, and the reset then works.
    for (let i = 0; i < 2; i++) {
      const res = await check(s, token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ valid: true });
    }
    const reset = await api(s, 'POST', '/api/auth/password-reset/confirm', {
      body: { token, password: 'violet-harbour-candle-42' },
    });
    expect(reset.status).toBe(204);
    expect((await check(s, token)).body).toEqual({ valid: false });

    const expired = await resetLink(s, agent);
    expect((await check(s, expired)).body).toEqual({ valid: true });
    await server.database.db.execute(
      sql`update password_resets set expires_at = now() - interval '1 second'`,
    );
    expect((await check(s, expired)).body).toEqual({ valid: false });
  });

  it("says nothing more of a wrong token than of a used one, and a deactivated agent's link is not valid", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Bob Agent' });
    const token = await resetLink(s, agent);
    await attackOn(server.database, async () => {
      const wrong = [
        'forged-token',
        token.slice(0, -1),
        `${token}x`,
        "' or 1=1 --",
        token.toUpperCase(),
      ];
      const answers = await Promise.all(wrong.map((t) => check(s, t)));
      for (const [i, res] of answers.entries()) {
        expect(res.status, wrong[i]).toBe(200);
        expect(res.body, wrong[i]).toEqual({ valid: false });
      }
      // The probes used nothing: the real link still works.
      expect((await check(s, token)).body).toEqual({ valid: true });
    });
    const unused = await server.database.db.execute(
      sql`select count(*)::int as n from password_resets where used_at is null`,
    );
    expect((unused as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(1);

    // Deactivated since the mail was sent: the link would be refused, so it is said now.
    await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    expect((await check(s, token)).body).toEqual({ valid: false });

    // No token, or one too long: refused as any bad body is.
    for (const body of [{}, { token: '' }, { token: 'x'.repeat(201) }]) {
      const res = await api(s, 'POST', '/api/auth/password-reset/check', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('is limited per address together with the resets: guessing tokens soon stops', async () => {
    const s = server.current;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await check(s, `guess-${i}`)).status);
    // Ten an hour from one address (limits.passwordResetsPerIp), then 429.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // The reset itself is refused too: one budget for both.
    const confirm = await api(s, 'POST', '/api/auth/password-reset/confirm', {
      body: { token: 'guess', password: 'violet-harbour-candle-42' },
    });
    expect(confirm.status).toBe(429);
  });
});
