import { simpleParser } from 'mailparser';
import { inspectBody } from './body-parts.js';
import { htmlText, replyText } from './reply-text.js';

/** An SMTP refusal: smtp-server answers with its code and message. */
export type SmtpError = Error & { responseCode: number };
export const refuse = (responseCode: number, message: string): SmtpError =>
  Object.assign(new Error(message), { responseCode });

/** What a reply by email says, as Parley keeps it. */
export type ReadEmail = {
  /** The address in its From, lower case. */
  from: string;
  /** What the visitor wrote: quoted history and signature removed. */
  text: string;
  /** Names of attached files, which Parley does not keep. */
  attachments: string[];
  /** Its Message-ID: the same email delivered twice makes one message. */
  messageId: string;
};

const unreadable = (why: string) => refuse(550, `5.6.0 ${why}`);

/**
 * Reads a raw email, or refuses it (550) with the reason: it cannot be parsed, a text part is
 * not the base64 it says, its HTML cannot be flattened, it has not exactly one From address, or
 * nothing is written above the quoted history.
 */
export async function readEmail(raw: Buffer): Promise<ReadEmail> {
  const body = await inspectBody(raw).catch(() => {
    throw unreadable('The email could not be read');
  });
  if (body.brokenBase64) {
    throw unreadable('The text of the email is not valid base64, so it could not be read');
  }
  const parsed = await simpleParser(raw, { skipHtmlToText: false, keepCidLinks: true }).catch(
    () => {
      throw unreadable('The email could not be read');
    },
  );
  if (parsed.textConversionError) throw unreadable('The HTML of the email could not be read');
  // One From, one address: a list of authors cannot be matched to the one visitor.
  const from = parsed.from?.value ?? [];
  const address = from.length === 1 ? from[0]?.address?.toLowerCase() : undefined;
  if (!address) throw unreadable('The email needs one From address');
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const text = replyText(body.plainText || !html ? (parsed.text ?? '') : htmlText(html));
  const attachments = parsed.attachments
    .filter((a) => !a.related) // images a signature shows inline are not attachments
    .map((a) => (a.filename ?? 'unnamed').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 100));
  if (!text && attachments.length === 0) {
    throw unreadable('The email has no reply above the quoted message');
  }
  const messageId =
    parsed.messageId?.slice(0, 300) ?? `no-id:${raw.length}:${parsed.date?.toISOString() ?? ''}`;
  return { from: address, text, attachments, messageId };
}
