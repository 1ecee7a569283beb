import { createHmac, randomBytes } from 'node:crypto';

/**
 * Webhook signatures, on Stripe's model (docs/webhooks.md): the receiver recomputes an
 * HMAC-SHA256 over the timestamp and the raw body with the endpoint's secret. The timestamp is
 * inside the signed text, so a captured request cannot be replayed later with a fresh one: a
 * receiver refuses timestamps outside its tolerance window.
 */

/** A new endpoint secret: 32 random bytes; the whole string, prefix included, is the key. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** `Parley-Signature`'s value for `body` sent at `unixSeconds`. */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
