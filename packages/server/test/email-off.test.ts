import { describe, expect, it } from 'vitest';
import { api, createAdmin } from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('email without SMTP_URL', () => {
  it('says it is off and how to turn it on, and sends nothing', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    expect((await api(s, 'GET', '/api/settings/email', { token: admin.token })).body).toEqual({
      enabled: false,
      from: null,
    });
    const test = await api(s, 'POST', '/api/settings/email/test', { token: admin.token });
    expect(test.status).toBe(409);
    expect(test.body.error.message).toMatch(/SMTP_URL and MAIL_FROM/);
    const jobs = await api(s, 'GET', '/api/jobs', { token: admin.token });
    expect(jobs.body).toEqual({ items: [], nextCursor: null });
  });
});
