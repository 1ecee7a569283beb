import { JobReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../factories.js';
import {
  buildServer,
  dropDatabase,
  post,
  query,
  startInstance,
  type Instance,
} from './processes.js';
import { createDatabase } from '../../../../tools/local.mjs';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

// Email jobs across instances and restarts, against a real SMTP server started here.
const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const dbName = `parley_email_${process.pid}`;
let smtp: TestSmtp;
let env: Record<string, string>;
let dbUrl: string;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  buildServer();
  smtp = await startSmtp();
  dbUrl = await createDatabase(adminUrl, dbName);
  env = {
    DATABASE_URL: dbUrl,
    JWT_SECRET: 'email-secret-email-secret-email-secret-00',
    RATE_LIMITS: 'off',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Parley <parley@example.com>',
  };
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
});

afterAll(async () => {
  for (const instance of [a, b]) instance?.process.kill('SIGKILL');
  await smtp?.close();
  await dropDatabase(adminUrl, dbName);
});

describe('email jobs on two instances', () => {
  it('send each email once, and a queued one survives kill -9 of every instance', async () => {
    const admin = await post<{ accessToken: string }>(`${a.url}/api/auth/register`, {
      name: 'Ada Admin',
      email: 'ada@example.com',
      password: 'correct horse battery',
    });
    // Forty test emails, asked of either instance: both run jobs, none runs one twice.
    const jobs = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post<JobReply>(`${(i % 2 ? a : b).url}/api/settings/email/test`, {}, admin.accessToken),
      ),
    );
    await waitFor(() => smtp.received.length >= 40, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received).toHaveLength(40);
    const done = await query<{ n: number }>(
      dbUrl,
      `select count(*)::int as n from jobs where status = 'done' and id = any($1)`,
      [jobs.map((j) => j.job.id)],
    );
    expect(done).toEqual([{ n: 40 }]);

    // The mail server refuses; the job waits for its retry when both instances die.
    smtp.refusing = true;
    const waiting = await post<JobReply>(`${a.url}/api/settings/email/test`, {}, admin.accessToken);
    await waitFor(async () => {
      const [row] = await query<{ attempts: number; status: string }>(
        dbUrl,
        'select attempts, status from jobs where id = $1',
        [waiting.job.id],
      );
      return row?.attempts === 1 && row.status === 'queued';
    }, 10_000);
    for (const instance of [a, b]) {
      instance.process.kill('SIGKILL');
      await instance.exited;
    }
    smtp.refusing = false;
    smtp.received.length = 0;
    a = await startInstance(env, a.port);
    // Its retry is due now, rather than in 10 seconds.
    await query(dbUrl, 'update jobs set run_at = now() where id = $1', [waiting.job.id]);
    await waitFor(() => smtp.received.length === 1, 10_000);
    expect(smtp.received[0]?.subject).toBe('Parley can send email');
  });
});
