import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from './limits.js';

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

/**
 * Text with no character anyone can see: spaces, zero-width and other default-ignorable
 * characters (U+200B, U+2060, U+FEFF, the Hangul fillers…), controls and the blank braille
 * pattern. It is no text at all, so it becomes empty and is refused where text is needed.
 */
const INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\u2800]*$/u;
export const visibleOrEmpty = (s: string) => (INVISIBLE.test(s) ? '' : s);

export { MAX_MESSAGE_LENGTH };
/** A message's text, which may be empty when it carries files. */
export const MessageText = safeText(MAX_MESSAGE_LENGTH).transform(visibleOrEmpty);
export const MessageContent = MessageText.pipe(z.string().min(1, 'Message is empty'));

/**
 * A file's name as shown and offered for download: the last part of any path, no control
 * characters or characters that mean something to a file system or a header.
 */
export const FileName = z
  .string()
  .max(1000)
  .transform((s) =>
    (s.split(/[\\/]/).pop() ?? '')
      .replace(/[\p{Cc}\p{Zl}\p{Zp}"*:<>?|]/gu, '')
      .replace(/^\.+/, '')
      .trim()
      .slice(0, 200),
  )
  .pipe(z.string().min(1, 'A file name is needed'));

/**
 * What may break a line or is no text at all: control characters (C0, DEL and C1, NEL among
 * them) and Unicode's line and paragraph separators (U+2028, U+2029).
 */
export const LINE_BREAK_OR_CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;

/**
 * A person's name: one line. It goes into email headers (From, Subject), where a line break
 * would start a header of its own, so control characters are refused, not just encoded.
 */
export const Name = safeText(100)
  .refine((s) => !LINE_BREAK_OR_CONTROL.test(s), { message: 'One line, no control characters' })
  .transform(visibleOrEmpty)
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
