/**
 * Two-factor sign-in with a one-time code (TOTP, issue 36; docs/two-factor.md): a user's own
 * set-up at `/api/auth/two-factor/*`, the second step of a sign-in, the admins' policy at
 * `/api/settings/two-factor` and their reset of a user who lost their phone.
 */
import { z } from 'zod';
import { Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import { AuthReply, MeReply } from './auth.js';
import type { RouteEntries } from './route.js';

/** A code from an authenticator app: 6 digits (spaces, as some apps show it, are dropped). */
export const TotpCode = z
  .string()
  .max(20)
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'Six digits'));
/** A recovery code as shown (`abcde-fghij`); case, spaces and dashes do not matter. */
export const RecoveryCode = z
  .string()
  .max(40)
  .transform((s) => s.toLowerCase().replace(/[\s-]+/g, ''))
  .pipe(z.string().regex(/^[a-z0-9]{10}$/, 'A recovery code such as abcde-12345'));

/** A current code from the app, or one of the recovery codes (used up by it). */
export const TwoFactorProof = z.union([
  z.object({ code: TotpCode }).strict(),
  z.object({ recoveryCode: RecoveryCode }).strict(),
]);
export type TwoFactorProof = z.infer<typeof TwoFactorProof>;

export const TwoFactorLoginBody = z.union([
  z.object({ challenge: z.string().min(1).max(2000), code: TotpCode }).strict(),
  z.object({ challenge: z.string().min(1).max(2000), recoveryCode: RecoveryCode }).strict(),
]);
export type TwoFactorLoginBody = z.infer<typeof TwoFactorLoginBody>;

/** The signed-in user's two-factor sign-in. */
export const TwoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: Timestamp.nullable(),
  /** Recovery codes not used yet. */
  recoveryCodesLeft: z.int(),
  /** An admin requires it of everyone: without it, a user can do nothing but set it up. */
  required: z.boolean(),
});
export type TwoFactorStatus = z.infer<typeof TwoFactorStatus>;

/**
 * A new secret waiting to be confirmed with a code: the only time it is ever sent. `uri` is the
 * `otpauth://` address the QR code holds; `qrSvg` that QR code as an SVG document.
 */
export const TwoFactorSetupReply = z.object({
  secret: z.string(),
  uri: z.string(),
  qrSvg: z.string(),
});
export type TwoFactorSetupReply = z.infer<typeof TwoFactorSetupReply>;
export const TwoFactorConfirmBody = z.object({ code: TotpCode }).strict();
export type TwoFactorConfirmBody = z.infer<typeof TwoFactorConfirmBody>;
/** Ten one-time recovery codes, shown once: only their hashes are kept. */
export const RecoveryCodesReply = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodesReply = z.infer<typeof RecoveryCodesReply>;
/** Two-factor turned on: the user (now `twoFactor: true`) and the recovery codes. */
export const TwoFactorEnabledReply = RecoveryCodesReply.extend(MeReply.shape);
export type TwoFactorEnabledReply = z.infer<typeof TwoFactorEnabledReply>;

export const TwoFactorPolicy = z.object({
  /** Everyone must sign in with a code; until they set it up they can do nothing else. */
  required: z.boolean(),
});
export type TwoFactorPolicy = z.infer<typeof TwoFactorPolicy>;
export const TwoFactorPolicyPatch = TwoFactorPolicy.strict();
export type TwoFactorPolicyPatch = z.infer<typeof TwoFactorPolicyPatch>;

export const twoFactorRoutes = {
  completeTwoFactorLogin: {
    ...at.completeTwoFactorLogin,
    tag: 'Auth',
    summary: 'Finish a sign-in with a code from the authenticator app, or a recovery code',
    description:
      'With the challenge `POST /api/auth/login` answered. Returns the access token and sets the refresh cookie, as a sign-in does. A wrong code: 401 `invalid_credentials`; an expired or altered challenge: 401 `unauthorized`. 5 tries per challenge, 10 per account per 15 minutes. A code is taken once.',
    auth: 'none',
    body: TwoFactorLoginBody,
    responses: { 200: AuthReply },
    errors: [401, 429],
  },
  getTwoFactor: {
    ...at.getTwoFactor,
    tag: 'Auth',
    summary: 'Your two-factor sign-in: on or off, recovery codes left, whether it is required',
    auth: 'agent',
    allowedBeforeTwoFactor: true,
    responses: { 200: TwoFactorStatus },
  },
  startTwoFactorSetup: {
    ...at.startTwoFactorSetup,
    tag: 'Auth',
    summary: 'Start turning two-factor sign-in on: a new secret and its QR code',
    description:
      'The secret waits until a code confirms it; asking again replaces it. Already on: 409. Not for API tokens (403).',
    auth: 'agent',
    allowedBeforeTwoFactor: true,
    responses: { 200: TwoFactorSetupReply },
    errors: [403, 409],
  },
  confirmTwoFactor: {
    ...at.confirmTwoFactor,
    tag: 'Auth',
    summary: 'Turn two-factor sign-in on with a code from the app',
    description:
      'Answers the ten recovery codes, once. A wrong code: 400 and nothing changes; no set-up started, or already on: 409.',
    auth: 'agent',
    allowedBeforeTwoFactor: true,
    body: TwoFactorConfirmBody,
    responses: { 200: TwoFactorEnabledReply },
    errors: [403, 409, 429],
  },
  disableTwoFactor: {
    ...at.disableTwoFactor,
    tag: 'Auth',
    summary: 'Turn two-factor sign-in off with a current code or a recovery code',
    description: 'Refused (409) while an admin requires it, and when it is off.',
    auth: 'agent',
    body: TwoFactorProof,
    responses: { 200: MeReply },
    errors: [403, 409, 429],
  },
  renewRecoveryCodes: {
    ...at.renewRecoveryCodes,
    tag: 'Auth',
    summary: 'New recovery codes, with a current code: the old ones stop working',
    auth: 'agent',
    body: TwoFactorConfirmBody,
    responses: { 200: RecoveryCodesReply },
    errors: [403, 409, 429],
  },
  getTwoFactorPolicy: {
    ...at.getTwoFactorPolicy,
    tag: 'Settings',
    summary: 'Whether everyone must use two-factor sign-in',
    auth: 'admin',
    responses: { 200: TwoFactorPolicy },
  },
  updateTwoFactorPolicy: {
    ...at.updateTwoFactorPolicy,
    tag: 'Settings',
    summary: 'Require two-factor sign-in of everyone, or stop requiring it',
    description:
      'People only: API tokens are not sign-ins and are not affected. An admin without it must set up their own first (409). Recorded in the audit log.',
    auth: 'admin',
    body: TwoFactorPolicyPatch,
    responses: { 200: TwoFactorPolicy },
    errors: [409],
  },
  resetUserTwoFactor: {
    ...at.resetUserTwoFactor,
    tag: 'Users',
    summary: "Turn off a user's two-factor sign-in (a lost phone)",
    description:
      'They sign in with their password alone, or set it up again when it is required. Recorded in the audit log. Off already: 409.',
    auth: 'admin',
    params: IdParams,
    responses: { 200: MeReply },
    errors: [404, 409],
  },
} as const satisfies RouteEntries;
