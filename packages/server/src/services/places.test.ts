import { describe, expect, it } from 'vitest';
import { countryOf, placeOf } from './places.js';

// The country of an address, from DB-IP's data shipped in its npm package (read on first use).
describe('places', () => {
  it('finds the country of internet addresses, v4, v6 and v4 in v6', async () => {
    expect(await placeOf('8.8.8.8')).toBe('United States');
    expect(await placeOf('81.2.69.142')).toBe('United Kingdom');
    expect(await placeOf('::ffff:194.25.2.129')).toBe('Germany');
    expect(await countryOf('2a00:1450:4001:80b::200e')).toBe('DE');
  });

  it('says nothing of private, local or malformed addresses', async () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.10',
      '::1',
      'fe80::1',
      'nonsense',
      '',
      null,
    ]) {
      expect(await placeOf(ip), String(ip)).toBeNull();
    }
  });
});
