import { readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { findConversation } from '../db/conversations.js';
import { findVisitor } from '../db/visitors.js';
import { AppError } from '../errors.js';
import type { Context } from '../context.js';
import { isVisitorBanned } from '../services/bans.js';
import { enforce, limits } from '../services/rate-limit.js';
import { readEmail, refuse, type ReadEmail } from './inbound-mail.js';
import type { Mail } from './mail.js';
import type { ReplyToken } from './reply-address.js';

/** The largest email accepted, attachments included (SMTP SIZE). */
export const MAX_INBOUND_BYTES = 10 * 1024 * 1024;

/** A recipient that passed RCPT: its conversation, and the address Parley wrote to there. */
type Recipient = { token: ReplyToken; visitorEmail: string };

/**
 * Parley's own SMTP listener for replies (INBOUND_SMTP_PORT): the MX of INBOUND_EMAIL_DOMAIN
 * points here. A recipient is accepted only if its token was signed for an existing
 * conversation and the visitor address it was sent to; anything else is refused at RCPT, before
 * any data, and changes nothing. A bounce (empty MAIL FROM) is refused at once. An accepted
 * email is parsed and cut to the reply; it is refused (550) unless its From is the visitor's
 * address, and told to come back later (451) past the widget's message limits, per
 * conversation and per sender; otherwise it is stored as a job before the 250 that tells the
 * sender it arrived.
 */
export async function startInbound(ctx: Context, mail: Mail): Promise<{ close(): Promise<void> }> {
  const inbound = mail.settings.inbound;
  const addresses = mail.replies;
  if (!inbound || !addresses) throw new Error('Inbound email is not configured');
  const log = ctx.log.child({ part: 'inbound-email' });

  const checkRecipient = async (to: SMTPServerAddress): Promise<Recipient> => {
    const token = addresses.parse(to.address);
    if (!token) throw refuse(550, '5.1.1 No such recipient here');
    const conversation = await findConversation(ctx.db, token.conversationId).catch(() => null);
    const visitor = conversation && (await findVisitor(ctx.db, conversation.visitorId));
    if (!visitor?.email || !addresses.verify(token, visitor.email)) {
      throw refuse(550, '5.1.1 This reply address is not valid (unknown or out of date)');
    }
    // A banned visitor's replies are not taken by email either (services/bans.ts).
    if (await isVisitorBanned(ctx, visitor.id)) {
      throw refuse(550, '5.7.1 This conversation takes no more messages from this address');
    }
    return { token, visitorEmail: visitor.email.toLowerCase() };
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
    // Bounces and automatic notices come with an empty return path (RFC 5321, RFC 3834): they
    // are never a visitor's reply.
    onMailFrom(from, _session, callback) {
      if (from.address) return callback();
      log.warn('inbound bounce refused');
      callback(refuse(550, '5.7.1 Bounces and automatic notices are not replies'));
    },
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
    const email = await readEmail(raw);
    // Checked again now: the visitor may have changed their address since RCPT.
    const recipients = await Promise.all(rcptTo.map(checkRecipient));
    // The From, not the envelope: the envelope of a forwarded or relayed reply is rewritten
    // (SRS, a provider's bounce address), the From is what the visitor's program wrote and
    // what agents are shown. Either can be forged by whoever holds the reply address, which
    // is the credential; this keeps a reply address that travelled (a forwarded email, a Cc)
    // from letting anyone else write as the visitor.
    if (recipients.some((r) => r.visitorEmail !== email.from)) {
      throw refuse(
        550,
        '5.7.1 This reply address takes replies only from the address Parley wrote to',
      );
    }
    await enforceFloodLimits(recipients, email.from);
    for (const { token } of recipients) {
      await ctx.jobs.enqueue('receive-email', { conversationId: token.conversationId, ...email });
    }
  };

  /** The widget's limits, by email: past them a mail server is told to try later, and does. */
  const enforceFloodLimits = async (recipients: Recipient[], from: ReadEmail['from']) => {
    try {
      await enforce(ctx.rateLimiter, [
        ...recipients.map((r): [string, typeof limits.inboundEmailsPerConversation] => [
          `inbound-email:conversation:${r.token.conversationId}`,
          limits.inboundEmailsPerConversation,
        ]),
        [`inbound-email:sender:${from}`, limits.inboundEmailsPerSender],
      ]);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'rate_limited') throw error;
      throw refuse(451, '4.7.1 Too many emails to this conversation just now; try again later');
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
