import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { findConversation } from '../db/conversations.js';
import { findVisitor } from '../db/visitors.js';
import type { Context } from '../services/context.js';
import type { Mail } from './mail.js';
import type { ReplyToken } from './reply-address.js';
import { replyText } from './reply-text.js';

/** The largest email accepted, attachments included (SMTP SIZE). */
export const MAX_INBOUND_BYTES = 10 * 1024 * 1024;

type SmtpError = Error & { responseCode: number };
const refuse = (responseCode: number, message: string): SmtpError =>
  Object.assign(new Error(message), { responseCode });

/**
 * Parley's own SMTP listener for replies (INBOUND_SMTP_PORT): the MX of INBOUND_EMAIL_DOMAIN
 * points here. A recipient is accepted only if its token was signed for an existing
 * conversation and the visitor address it was sent to; anything else is refused at RCPT, before
 * any data, and changes nothing. An accepted email is parsed, cut to the reply, and stored as a
 * job before the 250 that tells the sender it arrived.
 */
export async function startInbound(ctx: Context, mail: Mail): Promise<{ close(): Promise<void> }> {
  const inbound = mail.settings.inbound;
  const addresses = mail.replies;
  if (!inbound || !addresses) throw new Error('Inbound email is not configured');
  const log = ctx.log.child({ part: 'inbound-email' });

  const checkRecipient = async (to: SMTPServerAddress): Promise<ReplyToken> => {
    const token = addresses.parse(to.address);
    if (!token) throw refuse(550, '5.1.1 No such recipient here');
    const conversation = await findConversation(ctx.db, token.conversationId).catch(() => null);
    const visitor = conversation && (await findVisitor(ctx.db, conversation.visitorId));
    if (!visitor?.email || !addresses.verify(token, visitor.email)) {
      throw refuse(550, '5.1.1 This reply address is not valid (unknown or out of date)');
    }
    return token;
  };

  const server = new SMTPServer({
    name: inbound.domain,
    banner: 'Parley',
    authOptional: true,
    disabledCommands: ctx.config.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(ctx.config.tls
      ? { key: readFileSync(ctx.config.tls.key), cert: readFileSync(ctx.config.tls.cert) }
      : {}),
    size: MAX_INBOUND_BYTES,
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(to, session, callback) {
      if (session.envelope.rcptTo.length >= 10) {
        return callback(refuse(452, '4.5.3 Too many recipients'));
      }
      checkRecipient(to).then(
        () => callback(),
        (error: Error) => {
          log.warn({ to: to.address, from: session.envelope.mailFrom || null }, error.message);
          callback(error);
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          log.warn({ from: session.envelope.mailFrom || null }, 'inbound email too large');
          return callback(
            refuse(552, `5.3.4 The email is larger than ${MAX_INBOUND_BYTES / 1024 / 1024} MB`),
          );
        }
        accept(Buffer.concat(chunks), session.envelope.rcptTo).then(
          () => callback(),
          (error: Error & { responseCode?: number }) => {
            log.warn(
              { from: session.envelope.mailFrom || null, err: error.message },
              'inbound email refused',
            );
            callback(error.responseCode ? error : refuse(451, '4.3.0 Try again later'));
          },
        );
      });
    },
  });

  const accept = async (raw: Buffer, rcptTo: SMTPServerAddress[]) => {
    const parsed = await simpleParser(raw, { skipHtmlToText: false }).catch(() => {
      throw refuse(550, '5.6.0 The email could not be read');
    });
    if (!parsed.from?.value.some((a) => a.address)) {
      throw refuse(550, '5.6.0 The email has no From address');
    }
    const text = replyText(parsed.text ?? '');
    const attachments = parsed.attachments
      .filter((a) => !a.related) // images a signature shows inline are not attachments
      .map((a) => (a.filename ?? 'unnamed').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 100));
    if (!text && attachments.length === 0) {
      throw refuse(550, '5.6.0 The email has no reply above the quoted message');
    }
    const messageId =
      parsed.messageId?.slice(0, 300) ?? `no-id:${raw.length}:${parsed.date?.toISOString() ?? ''}`;
    // Each recipient was checked at RCPT: one stored job per conversation addressed.
    for (const to of rcptTo) {
      const token = addresses.parse(to.address);
      if (!token) continue;
      await ctx.jobs.enqueue(mail.receive, {
        conversationId: token.conversationId,
        messageId,
        text,
        attachments,
      });
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(inbound.port, ctx.config.host, () => resolve());
  });
  server.on('error', (err) => log.warn({ err }, 'inbound email connection failed'));
  log.info({ port: inbound.port, domain: inbound.domain }, 'receiving replies by email');
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
