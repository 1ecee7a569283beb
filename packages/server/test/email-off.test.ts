import { describe, expect, it } from 'vitest';
import { AWAY_WITHOUT_EMAIL } from '../src/services/settings.js';
import { api, createAdmin, startVisitorChat } from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('email without SMTP_URL', () => {
  it('says it is off and how to turn it on, and sends nothing', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    expect((await api(s, 'GET', '/api/settings/email', { token: admin.token })).body).toEqual({
      enabled: false,
      from: null,
      inboundDomain: null,
      unseenDelaySeconds: 0,
      waitingAlertSeconds: 0,
    });
    const test = await api(s, 'POST', '/api/settings/email/test', { token: admin.token });
    expect(test.status).toBe(409);
    expect(test.body.error.message).toMatch(/SMTP_URL and MAIL_FROM/);
    const jobs = await api(s, 'GET', '/api/jobs', { token: admin.token });
    // No email jobs; the hourly sweep of unsent uploads and retention are the only background
    // work.
    const emailJobs = (body: { items: { kind: string }[] }) =>
      body.items.filter((j) => j.kind !== 'sweep-uploads' && j.kind !== 'retention');
    expect(emailJobs(jobs.body)).toEqual([]);
    // The widget's away message promises no email; one an admin wrote stays theirs.
    const away = async () =>
      (await api(s, 'GET', '/api/settings/widget/public')).body.config.awayMessage as string;
    expect(await away()).toBe(AWAY_WITHOUT_EMAIL);
    expect(await away()).not.toMatch(/email/);
    await api(s, 'PATCH', '/api/settings/widget', {
      token: admin.token,
      body: { awayMessage: 'Back at 9, write to us meanwhile.' },
    });
    expect(await away()).toBe('Back at 9, write to us meanwhile.');
    expect((await api(s, 'GET', '/api/settings/widget/public')).body.config.email).toBe(false);

    // What needs email says so: no reset link, no transcript, no alerts; nothing is queued.
    expect((await api(s, 'GET', '/api/auth/setup')).body.passwordReset).toBe(false);
    const reset = await api(s, 'POST', '/api/auth/password-reset', {
      body: { email: admin.user.email },
    });
    expect(reset.status).toBe(409);
    expect(reset.body.error.message).toMatch(/Email is off/);
    const chat = await startVisitorChat(s);
    const transcript = await api(
      s,
      'POST',
      `/api/conversations/${chat.started.conversation.id}/transcript`,
      { token: chat.session.visitorToken, body: { email: 'v@example.com' } },
    );
    expect(transcript.status).toBe(409);
    const alerts = await api(s, 'PATCH', '/api/auth/me', {
      token: admin.token,
      body: { emailAlerts: true },
    });
    expect(alerts.status).toBe(409);
    expect(emailJobs((await api(s, 'GET', '/api/jobs', { token: admin.token })).body)).toEqual([]);
  });
});
