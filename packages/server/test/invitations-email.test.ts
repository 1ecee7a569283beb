import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createAdmin, waitFor } from './factories.js';
import { useServer } from './harness.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

// Invitations with email on (issue 36, item 3): the link goes by email, durably, and never to
// the admin.
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
const mailed = useServer({ env });
const PASSWORD = 'a quiet harbour at dawn 7';
const toOf = (mail: ParsedMail) => (mail.to && 'text' in mail.to ? mail.to.text : '');
const linkIn = async (email: string, nth = 0) => {
  await waitFor(() => smtp.received.filter((m) => toOf(m) === email).length > nth, 10_000);
  const mail = smtp.received.filter((m) => toOf(m) === email)[nth];
  return { mail, token: /\/invite#([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] };
};

describe('invitations by email', () => {
  it('emails the link and never shows it to the admin; "Resend" emails a new one', async () => {
    const s = mailed.current;
    const admin = await createAdmin(s);
    const email = `mia-${Date.now()}@example.com`;
    const res = await api(s, 'POST', '/api/invitations', {
      token: admin.token,
      body: { name: 'Mia Mailed', email },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ emailed: true, token: null });
    const first = await linkIn(email);
    expect(first.mail?.subject).toBe('Ada Admin invites you to Acme Support on Parley');
    expect(first.mail?.text).toContain('https://chat.acme.example/invite#');

    const resent = await api(s, 'POST', `/api/invitations/${res.body.invitation.id}/renew`, {
      token: admin.token,
      body: {},
    });
    expect(resent.body).toMatchObject({ emailed: true, token: null });
    const second = await linkIn(email, 1);
    expect(second.token).not.toBe(first.token);
    const old = await api(s, 'POST', '/api/invitations/accept', {
      body: { token: first.token, password: PASSWORD },
    });
    expect(old.status).toBe(400);
    const joined = await api(s, 'POST', '/api/invitations/accept', {
      body: { token: second.token, password: PASSWORD },
    });
    expect(joined.status).toBe(201);
  });
});
