import { createHash, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { Id, type TwoFactorChallengeReply } from '@parley/protocol';
import { unauthorized } from '../errors.js';
import type { UserRow } from '../db/users.js';
import type { Context } from '../context.js';

// The challenge a right password earns when the account has two-factor sign-in on: a JWT under
// a key of its own (`subkey('two-factor-challenge')`, never the access tokens' key, and another
// audience), so it is no access token anywhere and an access token is no challenge. It names
// the user, so a code is checked against that user's secret only: one user's challenge cannot
// complete another's sign-in. It also carries a digest of the password hash: a password
// changed or reset meanwhile voids it.
const AUDIENCE = 'parley:two-factor';
const ISSUER = 'parley';
export const CHALLENGE_TTL_SECONDS = 5 * 60;

const keyOf = (ctx: Context) => ctx.tokens.subkey('two-factor-challenge');
const passwordMark = (user: UserRow) =>
  createHash('sha256').update(user.passwordHash).digest('base64url').slice(0, 16);

/** A new challenge for the user whose password was right. */
export async function issueTwoFactorChallenge(
  ctx: Context,
  user: UserRow,
): Promise<TwoFactorChallengeReply> {
  const expiresAt = new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000);
  const challenge = await new SignJWT({ pwd: passwordMark(user) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setJti(randomUUID())
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(keyOf(ctx));
  return { twoFactor: { challenge, expiresAt: expiresAt.toISOString() } };
}

/** The user a challenge names and its id (what attempts are counted by); 401 otherwise. */
export async function readTwoFactorChallenge(
  ctx: Context,
  challenge: string,
): Promise<{ userId: string; challengeId: string; passwordMark: string }> {
  const payload = await jwtVerify(challenge, keyOf(ctx), {
    algorithms: ['HS256'],
    issuer: ISSUER,
    audience: AUDIENCE,
    requiredClaims: ['sub', 'exp', 'jti'],
  }).then(
    (verified) => verified.payload,
    () => null,
  );
  const userId = Id.safeParse(payload?.sub);
  const challengeId = Id.safeParse(payload?.jti);
  if (!payload || !userId.success || !challengeId.success || typeof payload.pwd !== 'string') {
    throw unauthorized('This sign-in has expired: enter your password again');
  }
  return { userId: userId.data, challengeId: challengeId.data, passwordMark: payload.pwd };
}

/** Whether the challenge was issued for the user's current password. */
export const challengeHolds = (user: UserRow, mark: string) => passwordMark(user) === mark;
