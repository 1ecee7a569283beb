import { JobListReply, JobReply } from '@parley/protocol';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../src/db/schema.js';
import { api, createAdmin, createAgent, waitFor } from './factories.js';
import { useServer } from './harness.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

// Email as a durable job, against a real SMTP server started here.
let smtp: TestSmtp;
const env: Record<string, string> = { MAIL_FROM: 'Acme Support <support@acme.example>' };

beforeAll(async () => {
  smtp = await startSmtp();
  env.SMTP_URL = smtp.url;
});
afterAll(() => smtp.close());

const server = useServer({ env });

describe('email', () => {
  it('tells admins it is on, and sends the test email once, as a job', async () => {
    const s = server.current;
    const admin = await createAdmin(s, 'Ada Admin');
    const agent = await createAgent(s, admin, { name: 'Bob Agent' });
    expect((await api(s, 'GET', '/api/settings/email', { token: admin.token })).body).toEqual({
      enabled: true,
      from: 'Acme Support <support@acme.example>',
      inboundDomain: null,
      unseenDelaySeconds: 120,
      waitingAlertSeconds: 300,
    });
    // With email, the widget's default away message keeps its promise of a reply by email.
    expect((await api(s, 'GET', '/api/settings/widget/public')).body.config.awayMessage).toContain(
      'by email',
    );
    expect((await api(s, 'POST', '/api/settings/email/test', { token: agent.token })).status).toBe(
      403,
    );

    smtp.received.length = 0;
    const sent = await api(s, 'POST', '/api/settings/email/test', { token: admin.token });
    expect(sent.status).toBe(202);
    const { job } = JobReply.parse(sent.body);
    await waitFor(() => smtp.received.length === 1);
    const [mail] = smtp.received;
    expect(mail?.from?.text).toBe('"Acme Support" <support@acme.example>');
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe(admin.user.email);
    expect(mail?.subject).toBe('Parley can send email');
    expect(mail?.text).toContain('Hello Ada Admin');
    const done = async () =>
      JobListReply.parse(
        (await api(s, 'GET', '/api/jobs?status=done', { token: admin.token })).body,
      ).items;
    await waitFor(async () => (await done()).some((j) => j.id === job.id));
    // Nothing runs it twice.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received).toHaveLength(1);
  });

  it('retries while the mail server refuses, fails visibly, and an admin retries it', async () => {
    const s = server.current;
    const admin = await createAdmin(s, 'Ada Admin');
    smtp.received.length = 0;
    smtp.refusing = true;
    const { job } = JobReply.parse(
      (await api(s, 'POST', '/api/settings/email/test', { token: admin.token })).body,
    );
    const row = async () =>
      (await server.database.db.select().from(jobs).where(eq(jobs.id, job.id)))[0];
    await waitFor(async () => (await row())?.attempts === 1 && (await row())?.status === 'queued');
    // Queued again for later (10 s after a first failure), with the server's answer kept.
    const queued = await row();
    expect((queued?.runAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(5000);
    expect(queued?.lastError).toMatch(/451/);
    // Every attempt spent at once (as if the hours had passed): failed, for an admin to see.
    await server.database.db.execute(
      sql`update jobs set attempts = max_attempts - 1, run_at = now() where id = ${job.id}`,
    );
    s.ctx.jobs.wake();
    const failed = async () =>
      JobListReply.parse(
        (await api(s, 'GET', '/api/jobs?status=failed', { token: admin.token })).body,
      ).items;
    await waitFor(async () => (await failed()).some((j) => j.id === job.id));
    const [shown] = await failed();
    expect(shown).toMatchObject({ id: job.id, kind: 'email', status: 'failed', attempts: 8 });
    expect(shown?.lastError).toMatch(/451/);
    expect(smtp.received).toHaveLength(0);

    smtp.refusing = false;
    const again = await api(s, 'POST', `/api/jobs/${job.id}/retry`, { token: admin.token });
    expect(again.status).toBe(200);
    await waitFor(() => smtp.received.length === 1);
    expect((await api(s, 'POST', `/api/jobs/${job.id}/retry`, { token: admin.token })).status).toBe(
      409,
    );
  });
});
