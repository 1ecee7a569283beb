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
});
