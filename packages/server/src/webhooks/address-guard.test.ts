import { describe, expect, it } from 'vitest';
import { isPublicAddress, resolvePublicAddress, webhookUrlRefusal } from './address-guard.js';

describe('webhook address guard', () => {
  it('refuses every address that is not the public internet, however it is written', () => {
    for (const address of [
      '0.0.0.0',
      '10.1.2.3',
      '100.64.0.1',
      '127.0.0.1',
      '127.255.255.254',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '198.18.0.1',
      '224.0.0.1',
      '239.255.255.250',
      '255.255.255.255',
      '::',
      '::1',
      'fe80::1',
      'fe80::1%eth0',
      'fc00::1',
      'fd12:3456:789a::1',
      'ff02::1',
      // IPv4-mapped, in both notations, and the other IPv6 wrappings of an IPv4 address.
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '::ffff:10.0.0.1',
      '64:ff9b::127.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::1',
      '2002:c0a8:101::',
      '::127.0.0.1',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('allows public addresses', () => {
    for (const address of [
      '1.1.1.1',
      '8.8.8.8',
      '93.184.215.14',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '2a00:1450:4001::200e',
      '::ffff:8.8.8.8',
      '64:ff9b::8.8.8.8',
      '2002:808:808::1',
    ]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('checks what a name resolves to, and IP literals as they are', async () => {
    await expect(resolvePublicAddress('localhost')).rejects.toThrow(/localhost resolves to/);
    await expect(resolvePublicAddress('[::1]')).rejects.toThrow(/::1 is not a public address/);
    await expect(resolvePublicAddress('8.8.8.8')).resolves.toEqual({
      address: '8.8.8.8',
      family: 4,
    });
    await expect(resolvePublicAddress('name.invalid')).rejects.toThrow(/could not be resolved/);
  });

  it('refuses URLs at save: scheme, credentials, private targets unless allowed', async () => {
    expect(await webhookUrlRefusal('ftp://example.com/', false)).toMatch(/http/);
    expect(await webhookUrlRefusal('https://u:p@example.com/', true)).toMatch(/user name/);
    // The URL parser turns these spellings of 127.0.0.1 into the address itself.
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost/',
    ]) {
      expect(await webhookUrlRefusal(url, false), url).toMatch(/not a public address/);
      expect(await webhookUrlRefusal(url, true), url).toBeNull();
    }
    expect(await webhookUrlRefusal('https://8.8.8.8/hook', false)).toBeNull();
  });
});
