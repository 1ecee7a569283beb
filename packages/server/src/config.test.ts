import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('config', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 5000,
      host: '0.0.0.0',
      dataDir: './data',
      databaseUrl: undefined,
      redisUrl: undefined,
      redisPrefix: 'parley',
      shutdownTimeoutMs: 8000,
      tls: undefined,
    });
  });
  it('treats empty variables as unset and refuses bad ones', () => {
    expect(loadConfig({ METRICS_TOKEN: '', DATABASE_URL: '' }).metricsToken).toBeUndefined();
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ TLS_CERT: '/cert.pem' })).toThrow(/TLS_CERT and TLS_KEY/);
  });
  it('takes email settings together, with their defaults', () => {
    const mail = {
      SMTP_URL: 'smtp://u:p@mail.example.com:587',
      MAIL_FROM: 'Acme <a@acme.example>',
    };
    expect(loadConfig({ ...mail, PORT: '8080' }).mail).toEqual({
      smtpUrl: mail.SMTP_URL,
      from: mail.MAIL_FROM,
      publicUrl: 'http://localhost:8080',
      unseenDelaySeconds: 120,
      waitingAlertSeconds: 300,
      inbound: undefined,
    });
    const inbound = {
      ...mail,
      INBOUND_SMTP_PORT: '2525',
      INBOUND_EMAIL_DOMAIN: 'Reply.Acme.example',
    };
    expect(loadConfig(inbound).mail?.inbound).toEqual({ port: 2525, domain: 'reply.acme.example' });
    expect(() => loadConfig({ SMTP_URL: mail.SMTP_URL })).toThrow(/SMTP_URL and MAIL_FROM/);
    expect(() => loadConfig({ ...mail, INBOUND_SMTP_PORT: '2525' })).toThrow(/go together/);
    expect(() =>
      loadConfig({ INBOUND_SMTP_PORT: '2525', INBOUND_EMAIL_DOMAIN: 'r.example' }),
    ).toThrow(/needs SMTP_URL/);
    expect(() => loadConfig({ ...mail, MAIL_FROM: 'a@b.c\r\nBcc: x@y.z' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ ...mail, PUBLIC_URL: 'https://chat.acme.example/' })).toThrow(
      /PUBLIC_URL/,
    );
  });
  it('takes DASHBOARD_ORIGINS as exact origins only', () => {
    expect(loadConfig({}).dashboardOrigins).toEqual([]);
    expect(
      loadConfig({ DASHBOARD_ORIGINS: 'https://app.example.com, http://127.0.0.1:5173' })
        .dashboardOrigins,
    ).toEqual(['https://app.example.com', 'http://127.0.0.1:5173']);
    // What a browser never sends as Origin would never match: refused at start, not ignored.
    for (const bad of [
      'https://app.example.com/',
      'https://app.example.com/dashboard',
      'app.example.com',
      'HTTPS://APP.EXAMPLE.COM',
      'https://app.example.com:443',
      '*',
      'null',
      'ftp://files.example.com',
    ]) {
      expect(() => loadConfig({ DASHBOARD_ORIGINS: bad }), bad).toThrow(/DASHBOARD_ORIGINS/);
    }
  });
  it('keeps webhooks off private addresses unless told, with its timing', () => {
    expect(loadConfig({}).webhooks).toEqual({
      allowPrivate: false,
      timeoutMs: 10_000,
      retryDelayMs: 30_000,
    });
    expect(
      loadConfig({
        WEBHOOKS_ALLOW_PRIVATE: 'true',
        WEBHOOKS_TIMEOUT_MS: '500',
        WEBHOOKS_RETRY_DELAY_MS: '50',
      }).webhooks,
    ).toEqual({ allowPrivate: true, timeoutMs: 500, retryDelayMs: 50 });
    expect(() => loadConfig({ WEBHOOKS_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOKS_ALLOW_PRIVATE/);
    expect(() => loadConfig({ WEBHOOKS_TIMEOUT_MS: '0' })).toThrow(/WEBHOOKS_TIMEOUT_MS/);
  });
});
