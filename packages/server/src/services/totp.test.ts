import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  openSecret,
  sealSecret,
  stepOfCode,
} from './totp.js';
import type { Tokens } from './tokens.js';

// A stand-in for the server's secret: only `subkey` is used.
const tokensOf = (secret: string) =>
  ({ subkey: (purpose: string) => Buffer.from(`${secret}:${purpose}`.padEnd(32, '.')) }) as Tokens;
const userA = '0190a000-0000-7000-8000-00000000000a';
const userB = '0190a000-0000-7000-8000-00000000000b';

const code = (secret: string, at: number) =>
  TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: at,
  });

describe('totp', () => {
  it('seals a secret that opens only for its user under the same server secret', () => {
    const tokens = tokensOf('one');
    const secret = newTotpSecret();
    const sealed = sealSecret(tokens, userA, secret);
    expect(sealed).not.toContain(secret);
    expect(sealSecret(tokens, userA, secret)).not.toBe(sealed);
    expect(openSecret(tokens, userA, sealed)).toBe(secret);
    expect(openSecret(tokens, userB, sealed)).toBeNull();
    expect(openSecret(tokensOf('two'), userA, sealed)).toBeNull();
    const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(openSecret(tokens, userA, altered)).toBeNull();
    expect(openSecret(tokens, userA, 'garbage')).toBeNull();
  });

  it('gives the step of a code within one step of now, and null beyond', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_015_000; // 15 s into a step
    const step = Math.floor(now / 30_000);
    for (const delta of [-1, 0, 1]) {
      expect(stepOfCode(secret, code(secret, now + delta * 30_000), now)).toBe(step + delta);
    }
    for (const delta of [-2, 2]) {
      expect(stepOfCode(secret, code(secret, now + delta * 30_000), now)).toBeNull();
    }
  });

  it('makes ten distinct recovery codes, hashed as typed in any form', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const first = codes[0] as string;
    expect(hashRecoveryCode(` ${first.toUpperCase().replace('-', ' - ')} `)).toBe(hashes[0]);
  });
});
