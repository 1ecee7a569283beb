/**
 * Single sign-on with OpenID Connect (issue 36): the admins' settings at `/api/settings/sso`,
 * and the browser's way through the provider at `/api/auth/sso/*` (docs/sso.md).
 */
import { z } from 'zod';
import { Id, Name } from '../primitives.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

/**
 * Why a sign-in through the provider did not end signed in: the callback redirects to
 * `/login?sso=<reason>`, and the login page says it in words (never the provider's raw error).
 */
export type SsoFailure =
  'off' | 'expired' | 'denied' | 'failed' | 'unverified' | 'not_allowed' | 'disabled';

/** An email domain: `acme.example`, lower case, no `@`. */
export const EmailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,200}$)([a-z0-9-]+\.)+[a-z0-9-]+$/, 'A domain such as acme.example');

/** An issuer: https, or http on this computer only (tests, a provider run beside Parley). */
export const IssuerUrl = z
  .url()
  .max(500)
  .regex(
    /^(https:\/\/[^/?#\s]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/[^?#\s]*)?$/i,
    'An https:// address (http:// only on localhost), without ? or #',
  );

/** The settings as an admin reads them: the client secret never, only whether it is set. */
export const SsoSettingsView = z.object({
  /** The login page offers "Sign in with <name>". */
  enabled: z.boolean(),
  /** The provider's name on the button: "Sign in with Acme". */
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  clientSecretSet: z.boolean(),
  /**
   * Who gets an agent account on a first sign-in: addresses of these domains (verified by the
   * provider). Invited addresses always do; empty: invited addresses only.
   */
  allowedDomains: z.array(z.string()),
  /** Passwords are refused (sign-in and reset), except the break-glass admin's. */
  ssoOnly: z.boolean(),
  /** The one admin who may still sign in with a password while SSO is the only way. */
  breakGlassUserId: Id.nullable(),
  /** What to register at the provider as the redirect (callback) URI. */
  redirectUri: z.string(),
});
export type SsoSettingsView = z.infer<typeof SsoSettingsView>;

/**
 * `PATCH /api/settings/sso`: what changes. A new issuer, client or secret, or switching it on,
 * is checked against the provider's discovery document before anything is stored.
 */
export const SsoSettingsPatch = z
  .strictObject({
    enabled: z.boolean(),
    name: Name.pipe(z.string().min(1, 'A name for the button')),
    issuer: IssuerUrl,
    clientId: z.string().trim().min(1).max(500),
    /** Write-only: never read back. */
    clientSecret: z.string().min(1).max(2000),
    allowedDomains: z.array(EmailDomain).max(50),
    ssoOnly: z.boolean(),
    breakGlassUserId: Id.nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type SsoSettingsPatch = z.infer<typeof SsoSettingsPatch>;

export const SsoSettingsReply = z.object({ settings: SsoSettingsView });
export type SsoSettingsReply = z.infer<typeof SsoSettingsReply>;

/** What the login page knows of single sign-on (in `GET /api/auth/setup`); null: off. */
export const SsoLoginInfo = z.object({ name: z.string(), ssoOnly: z.boolean() });
export type SsoLoginInfo = z.infer<typeof SsoLoginInfo>;

/** The provider's answer, as it comes back to the callback. */
export const SsoCallbackQuery = z.looseObject({
  state: z.string().max(500).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});
export type SsoCallbackQuery = z.infer<typeof SsoCallbackQuery>;

/**
 * `GET /api/auth/sso/start`: a dashboard served from another origin names it, so that the
 * sign-in comes back there; it must be one of the server's DASHBOARD_ORIGINS.
 */
export const SsoStartQuery = z.object({ dashboard: z.string().max(300).optional() });
export type SsoStartQuery = z.infer<typeof SsoStartQuery>;

/** What a dashboard on another origin finds in its address (`/login#sso=<ticket>`) and redeems. */
export const SsoRedeemBody = z.object({ ticket: z.string().min(1).max(4000) });
export type SsoRedeemBody = z.infer<typeof SsoRedeemBody>;

const html = (description: string) => ({ mediaType: 'text/html', description });

export const ssoRoutes = {
  getSsoSettings: {
    ...at.getSsoSettings,
    tag: 'Settings',
    summary: 'Single sign-on (OpenID Connect): the settings, without the client secret',
    auth: 'admin',
    responses: { 200: SsoSettingsReply },
  },
  updateSsoSettings: {
    ...at.updateSsoSettings,
    tag: 'Settings',
    summary: 'Change single sign-on; a new issuer or client is checked by discovery first',
    description:
      'An issuer whose discovery document cannot be fetched, or that does not offer the authorization-code flow with S256 PKCE, is refused (400) and nothing changes. "SSO only" needs a break-glass admin: an active admin, who alone may still sign in with a password. Recorded in the audit log (`sso.changed`, the secret left out).',
    auth: 'admin',
    body: SsoSettingsPatch,
    responses: { 200: SsoSettingsReply },
  },
  startSso: {
    ...at.startSso,
    tag: 'Auth',
    summary: "Sign in through the identity provider: a redirect to the provider's sign-in",
    description:
      'A 302 to the provider (authorization code with PKCE); the state, nonce and verifier travel in a short-lived signed cookie limited to the callback. With single sign-on off, a 302 to `/login?sso=off`. `dashboard`: the origin of a dashboard served elsewhere (one of DASHBOARD_ORIGINS; any other fails the sign-in), where the sign-in then comes back.',
    auth: 'none',
    query: SsoStartQuery,
    responses: { 302: html('A redirect to the identity provider') },
  },
  ssoCallback: {
    ...at.ssoCallback,
    tag: 'Auth',
    summary:
      'Where the provider sends the browser back: signs in, then a redirect to the dashboard',
    description:
      'Checks the state, nonce and PKCE, links the agent by issuer and subject (a first sign-in: by a verified email of an allowed domain or an open invitation), sets the refresh cookie as a password sign-in does and redirects to `/`. Any failure redirects to `/login?sso=<reason>`. For a dashboard elsewhere, the redirects go to its origin, and a sign-in to `<dashboard>/login#sso=<ticket>`, without a cookie: the dashboard redeems the ticket.',
    auth: 'none',
    query: SsoCallbackQuery,
    responses: {
      302: html('A redirect to the dashboard, or to the login page with a reason'),
      200: html(
        "From another site's page (`Sec-Fetch-Site`): a page of Parley's that comes back here at once, so that the sign-in's SameSite=Strict cookie is set by a same-origin request",
      ),
    },
  },
} as const satisfies RouteEntries;
