import { z } from 'zod';
import { Timestamp } from './primitives.js';

// Verified visitors (issue 19): the site's backend signs the signed-in person's id with the
// secret an admin sees in Settings → Identity, and the page hands id and signature to the
// widget (`LiveChatWidget.setUser`). Only a claim whose signature verifies reaches the history
// of that person's visitor; everything else is contact details of an anonymous visitor.

/**
 * The site's own id of a signed-in person. Signed as given (so never trimmed): one line of up
 * to 200 characters, no control characters, valid Unicode.
 */
export const ExternalId = z
  .string()
  .min(1, 'An id is needed')
  .max(200)
  .regex(
    // Lone surrogates are code points of their own (Cs) in a `u` pattern; pairs are one.
    /^[^\p{Cc}\p{Zl}\p{Zp}\p{Cs}]+$/u,
    'One line of text, no control characters',
  );

/** HMAC-SHA256 of the signed text (see identitySignedText) with the identity secret, in hex. */
export const IdentityHash = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'The HMAC-SHA256 of the id in hex: 64 characters')
  .transform((s) => s.toLowerCase());

/** How long a hash made with `issuedAt` is good for, and how far ahead a clock may be. */
export const IDENTITY_HASH_MAX_AGE_SECONDS = 24 * 60 * 60;
export const IDENTITY_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * What the site signs: the id alone, or, with `issuedAt` (Unix seconds), the id, a line break
 * and the time. A line break cannot occur in an id, so no id signed alone reads as another id
 * signed with a time.
 */
export const identitySignedText = (id: string, issuedAt?: number): string =>
  issuedAt === undefined ? id : `${id}\n${issuedAt}`;

/** The most attributes a visitor keeps, and the longest value. */
export const MAX_VISITOR_ATTRIBUTES = 50;
export const MAX_ATTRIBUTE_LENGTH = 200;

/** Settings → Identity (admins only): the signing secret and whether a signature is required. */
export const IdentitySettings = z.object({
  /** The key sites sign ids with (HMAC-SHA256); shown to admins only. */
  secret: z.string(),
  /** Refuse every `setUser` without a valid hash: only verified identities are taken. */
  requireVerification: z.boolean(),
  /** When the secret was made or last rotated: hashes and verified sessions from before die. */
  rotatedAt: Timestamp,
});
export type IdentitySettings = z.infer<typeof IdentitySettings>;
/** Who last revealed a secret, and when (each reveal is recorded). */
export const SecretRevealed = z.object({ by: z.string(), at: Timestamp });
export type SecretRevealed = z.infer<typeof SecretRevealed>;
/**
 * The settings as read: without the secret, which only a signed-in admin reads, on its own
 * route (`GET /api/settings/identity/secret`), each time recorded.
 */
export const IdentitySettingsView = IdentitySettings.omit({ secret: true }).extend({
  secretRevealed: SecretRevealed.nullable(),
});
export type IdentitySettingsView = z.infer<typeof IdentitySettingsView>;
