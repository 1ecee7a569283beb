/**
 * Agents sign in, out and manage their own account: `/api/auth/*`.
 */
import { z } from 'zod';
import { User } from '../entities.js';
import { Email, Id, Name, Password, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';
import { SsoLoginInfo, SsoRedeemBody } from './sso.js';

export const RegisterBody = z.object({ name: Name, email: Email, password: Password });
export type RegisterBody = z.infer<typeof RegisterBody>;
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(256) });
export type LoginBody = z.infer<typeof LoginBody>;
export const AuthReply = z.object({ user: User, accessToken: z.string() });
export type AuthReply = z.infer<typeof AuthReply>;
/**
 * What `POST /api/auth/login` answers, instead of tokens, when the password is right and the
 * account has two-factor sign-in on: a signed challenge, valid 5 minutes, that only
 * `POST /api/auth/login/two-factor` takes (never as an access token). See routes/two-factor.ts.
 */
export const TwoFactorChallengeReply = z.object({
  twoFactor: z.object({ challenge: z.string(), expiresAt: Timestamp }),
});
export type TwoFactorChallengeReply = z.infer<typeof TwoFactorChallengeReply>;
/** `POST /api/auth/login`: signed in, or the code is asked next. */
export const LoginReply = z.union([AuthReply, TwoFactorChallengeReply]);
export type LoginReply = z.infer<typeof LoginReply>;
export const MeReply = z.object({ user: User });
export type MeReply = z.infer<typeof MeReply>;
/** `GET /api/auth/setup`: whether no account exists yet, so the dashboard offers first-run set-up. */
export const SetupReply = z.object({
  needsSetup: z.boolean(),
  /** Email is on: "Forgot password" can send a reset link. */
  passwordReset: z.boolean(),
  /** Single sign-on is on: the login page offers "Sign in with <name>" (null: off). */
  sso: SsoLoginInfo.nullable(),
});
export type SetupReply = z.infer<typeof SetupReply>;
/** `PATCH /api/auth/me`: the signed-in agent edits their own profile. */
export const ProfilePatchBody = z
  .object({
    name: Name.optional(),
    /** Email me when a conversation waits with nobody to answer it. */
    emailAlerts: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type ProfilePatchBody = z.infer<typeof ProfilePatchBody>;
/** `POST /api/auth/password`: ends every session of the agent and signs this one in again. */
export const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: Password,
});
export type PasswordChangeBody = z.infer<typeof PasswordChangeBody>;
/**
 * `POST /api/auth/password-reset`: emails a single-use reset link if the address has an account.
 * 202 whether it has or not, so the answer tells nobody which addresses exist.
 */
export const PasswordResetRequestBody = z.object({ email: Email });
export type PasswordResetRequestBody = z.infer<typeof PasswordResetRequestBody>;
/**
 * `POST /api/auth/password-reset/confirm`: sets the new password with the link's token (once,
 * before it expires) and ends every session of the account. 204.
 */
export const PasswordResetBody = z.object({
  token: z.string().min(1).max(200),
  password: Password,
});
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;
/**
 * `POST /api/auth/password-reset/check`: whether a reset link's token would still set a password,
 * without using it, so the page says at once that a link was used or has expired. The token
 * travels in the body (never the address, which logs keep). A wrong token, a used one and an
 * expired one get the same answer, `valid: false`: it tells nothing of why.
 */
export const PasswordResetCheckBody = PasswordResetBody.pick({ token: true });
export type PasswordResetCheckBody = z.infer<typeof PasswordResetCheckBody>;
export const PasswordResetCheckReply = z.object({ valid: z.boolean() });
export type PasswordResetCheckReply = z.infer<typeof PasswordResetCheckReply>;
/** `202 {}`: accepted, with nothing to tell (a password reset says nothing about the address). */
export const AcceptedReply = z.object({});
export type AcceptedReply = z.infer<typeof AcceptedReply>;

/**
 * A browser signed in to the account: one sign-in, from the password to now (its refresh
 * token is rotated every quarter hour while the dashboard is open).
 */
export const SignedInDevice = z.object({
  /** The sign-in's id: what `DELETE /api/auth/sessions/:id` ends. */
  id: Id,
  /** The browser this request comes from. */
  current: z.boolean(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  /** The address it last signed in or refreshed from. */
  ip: z.string().nullable(),
  /** What kind of address: this computer, a private network, or the internet. */
  network: z.enum(['this computer', 'private network', 'internet']).nullable(),
  /** The country of an internet address (DB-IP's IP to Country Lite), in English; else null. */
  place: z.string().nullable(),
  signedInAt: Timestamp,
  /** Its last refresh: while a dashboard is open, within the last quarter hour. */
  lastSeenAt: Timestamp,
});
export type SignedInDevice = z.infer<typeof SignedInDevice>;
export const SignedInDevicesReply = z.object({ items: z.array(SignedInDevice) });
export type SignedInDevicesReply = z.infer<typeof SignedInDevicesReply>;
export const EndedSessionsReply = z.object({
  /** How many sign-ins were ended (0 when there were none). */
  ended: z.int(),
});
export type EndedSessionsReply = z.infer<typeof EndedSessionsReply>;

const tag = 'Auth';

export const authRoutes = {
  register: {
    ...at.register,
    tag,
    summary: 'Create the first account, which becomes the admin',
    description:
      'Only while no account exists; after that, admins add agents (`POST /api/users`). Sets the refresh cookie.',
    auth: 'none',
    body: RegisterBody,
    responses: { 201: AuthReply },
    errors: [403, 429],
  },
  login: {
    ...at.login,
    tag,
    summary: 'Sign in with email and password',
    description:
      'Returns a 15-minute access token and sets the rotating refresh cookie. With two-factor sign-in on, answers `{ twoFactor: { challenge, expiresAt } }` instead: the code goes with the challenge to `POST /api/auth/login/two-factor`.',
    auth: 'none',
    body: LoginBody,
    responses: { 200: LoginReply },
    errors: [401, 429],
  },
  refresh: {
    ...at.refresh,
    tag,
    summary: 'Exchange the refresh cookie for a new access token',
    description: 'The cookie is rotated: the old one stops working.',
    auth: 'refresh-cookie',
    responses: { 200: AuthReply },
  },
  logout: {
    ...at.logout,
    tag,
    summary: "End this session (the refresh cookie's)",
    auth: 'none',
    responses: { 204: null },
  },
  redeemSso: {
    ...at.redeemSso,
    tag,
    summary: "A dashboard elsewhere takes a single sign-on's session with its one-time ticket",
    description:
      'The ticket from `/login#sso=` is good for a minute, once: the answer is a sign-in (the refresh cookie, as a login sets it). A second, expired or altered ticket is a 401.',
    auth: 'none',
    body: SsoRedeemBody,
    responses: { 200: AuthReply },
    errors: [401, 429],
  },
  getMe: {
    ...at.getMe,
    tag,
    summary: 'The signed-in agent',
    auth: 'agent',
    allowedBeforeTwoFactor: true,
    responses: { 200: MeReply },
  },
  updateMe: {
    ...at.updateMe,
    tag,
    summary: 'Edit your own profile',
    auth: 'agent',
    body: ProfilePatchBody,
    responses: { 200: MeReply },
    errors: [409],
  },
  changePassword: {
    ...at.changePassword,
    tag,
    summary: 'Change your password',
    description: 'Ends every session of the agent and signs this one in again.',
    auth: 'agent',
    body: PasswordChangeBody,
    responses: { 200: AuthReply },
  },
  listSessions: {
    ...at.listSessions,
    tag,
    summary: 'Your signed-in devices (browsers), last seen first',
    auth: 'agent',
    responses: { 200: SignedInDevicesReply },
  },
  endSession: {
    ...at.endSession,
    tag,
    summary: 'Sign one of your devices out',
    description:
      'Its access tokens are refused and its sockets closed at once, on every instance; its refresh token no longer works. Ending this device is signing out. A sign-in that is not yours, or already ended: 404.',
    auth: 'agent',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
  getSetup: {
    ...at.getSetup,
    tag,
    summary: 'Whether Parley still needs its first account',
    auth: 'none',
    responses: { 200: SetupReply },
  },
  requestPasswordReset: {
    ...at.requestPasswordReset,
    tag,
    summary: 'Email a password reset link',
    description: '202 whether the address has an account or not.',
    auth: 'none',
    body: PasswordResetRequestBody,
    responses: { 202: AcceptedReply },
    errors: [409, 429],
  },
  confirmPasswordReset: {
    ...at.confirmPasswordReset,
    tag,
    summary: "Set a new password with a reset link's token",
    auth: 'none',
    body: PasswordResetBody,
    responses: { 204: null },
    errors: [429],
  },
  checkPasswordReset: {
    ...at.checkPasswordReset,
    tag,
    summary: "Whether a reset link's token can still be used, without using it",
    description:
      '`valid: false` alike for a wrong, a used and an expired token. Counted with the reset itself against the per-address limit.',
    auth: 'none',
    body: PasswordResetCheckBody,
    responses: { 200: PasswordResetCheckReply },
    errors: [429],
  },
} as const satisfies RouteEntries;
