import { z } from 'zod';

export const Id = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });

// NUL breaks PostgreSQL text columns and lone surrogates are not valid UTF-8: both are refused
// at the edge so that nothing the database would choke on ever reaches it.
const unsafeText =
  /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string from a client: no NUL, no lone surrogates, trimmed, within `max` characters. */
export const safeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !unsafeText.test(s), { message: 'Contains NUL or invalid unicode' })
    .transform((s) => s.trim());

export const MAX_MESSAGE_LENGTH = 5000;
export const MessageContent = safeText(MAX_MESSAGE_LENGTH).pipe(
  z.string().min(1, 'Message is empty'),
);

export const Name = safeText(100).pipe(z.string().min(1));
export const Email = z
  .email()
  .max(254)
  .transform((s) => s.toLowerCase());
export const Password = z.string().min(8, 'At least 8 characters').max(256);

/** Sent by clients before sending, so that a resend is recognised (see Delivery). */
export const ClientId = z.uuid();
export const Seq = z.int().min(0);
