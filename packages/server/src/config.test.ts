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
});
