import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  randomInt,
} from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Tokens } from './tokens.js';

// The one-time codes of two-factor sign-in (RFC 6238 through `otpauth`): SHA-1, 6 digits, 30 s,
// what every authenticator app reads from a QR code. A code is good for its own step and the
// one either side (a phone's clock a little off, a code typed as it changes), never more.
const PERIOD = 30;
const WINDOW = 1;
const ISSUER = 'Parley';

const totpOf = (secret: string, label = '') =>
  new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret),
  });

/** A new secret: 20 random bytes (RFC 4226's advice for SHA-1), in base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` address an app reads from the QR code, and that QR code as SVG. */
export async function enrolmentOf(
  secret: string,
  account: string,
): Promise<{ uri: string; qrSvg: string }> {
  const uri = totpOf(secret, account).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { uri, qrSvg };
}

/** The step a code is right for (within one step of now), or null for a wrong code. */
export function stepOfCode(secret: string, code: string, now = Date.now()): number | null {
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  return TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}

// The secret at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the server's own
// secret (`Tokens`, kept in the database or JWT_SECRET), with the user's id as associated data,
// so that a sealed secret copied onto another account does not open. A database dump alone
// yields no secret; the server's secret with it does, as it yields tokens.
const SEALED_VERSION = 'v1';

function keyOf(tokens: Tokens): Buffer {
  return Buffer.from(
    hkdfSync('sha256', tokens.subkey('totp'), 'parley', 'totp-secret-aes-256-gcm', 32),
  );
}

/** The secret encrypted for the user: `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function sealSecret(tokens: Tokens, userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(tokens), iv);
  cipher.setAAD(Buffer.from(userId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [SEALED_VERSION, iv, cipher.getAuthTag(), sealed]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The secret, or null when it does not open (another server secret, another user, altered). */
export function openSecret(tokens: Tokens, userId: string, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== SEALED_VERSION || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(tokens), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}

// Recovery codes: 10 characters of a-z0-9 less the look-alikes (about 50 bits each), shown as
// `abcde-fghij`; kept as the SHA-256 of the code without its dash (a code this random needs no
// slow hash). The protocol's `RecoveryCode` normalises what a person types the same way.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () =>
      RECOVERY_ALPHABET.charAt(randomInt(RECOVERY_ALPHABET.length)),
    ).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, hashes: codes.map((c) => hashRecoveryCode(c)) };
}

/** The stored form of a recovery code, as typed or as shown. */
export function hashRecoveryCode(code: string): string {
  const normal = code.toLowerCase().replace(/[\s-]+/g, '');
  return createHash('sha256').update(normal).digest('hex');
}
