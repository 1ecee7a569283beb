import { z } from 'zod';

export const Id = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });

// NUL breaks PostgreSQL text columns and lone surrogates are not valid UTF-8: both are refused
// at the edge so that nothing the database would choke on ever reaches it.
const unsafeText =
  /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const refuseUnsafe = (s: string) => !unsafeText.test(s);
const unsafeMessage = { message: 'Contains NUL or invalid unicode' };

/** A string from a client: no NUL, no lone surrogates, trimmed, within `max` characters. */
export const safeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine(refuseUnsafe, unsafeMessage)
    .transform((s) => s.trim());

/**
 * An http(s) URL from a client, as typed: the URL parser would quietly percent-encode a NUL
 * and turn a lone surrogate into U+FFFD, so the text is checked before it is parsed.
 */
export const WebUrl = z
  .string()
  .max(2000)
  .refine(refuseUnsafe, unsafeMessage)
  .pipe(z.url({ protocol: /^https?$/ }));

export const MAX_MESSAGE_LENGTH = 5000;
export const MessageContent = safeText(MAX_MESSAGE_LENGTH).pipe(
  z.string().min(1, 'Message is empty'),
);
/** A message's text, which may be empty when it carries files. */
export const MessageText = safeText(MAX_MESSAGE_LENGTH);

/**
 * A file's name as shown and offered for download: the last part of any path, no control
 * characters or characters that mean something to a file system or a header.
 */
export const FileName = z
  .string()
  .max(1000)
  .transform((s) =>
    (s.split(/[\\/]/).pop() ?? '')
      .replace(/[\u0000-\u001f\u007f"*:<>?|]/g, '')
      .replace(/^\.+/, '')
      .trim()
      .slice(0, 200),
  )
  .pipe(z.string().min(1, 'A file name is needed'));

/**
 * A person's name: one line. It goes into email headers (From, Subject), where a line break
 * would start a header of its own, so control characters are refused, not just encoded.
 */
export const Name = safeText(100)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'One line, no control characters' })
  .pipe(z.string().min(1));
export const Email = z
  .email()
  .max(254)
  .transform((s) => s.toLowerCase());
export const Password = z.string().min(8, 'At least 8 characters').max(256);

/** Sent by clients before sending, so that a resend is recognised (see Delivery). */
export const ClientId = z.uuid();
/** PostgreSQL's integer: a larger seq cannot exist, and must not reach a query. */
export const MAX_SEQ = 2 ** 31 - 1;
export const Seq = z.int().min(0).max(MAX_SEQ);
