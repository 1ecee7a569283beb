import type { Config } from '../config.js';
import { alertWaitingJob } from '../jobs/alert-waiting.js';
import { emailUnseenRepliesJob } from '../jobs/email-unseen-replies.js';
import { receiveEmailJob, type InboundReply } from '../jobs/receive-email.js';
import type { JobHandler } from '../jobs/runner.js';
import { sendEmailJob, type Email } from '../jobs/send-email.js';
import { sendPasswordResetJob } from '../jobs/send-password-reset.js';
import type { Context } from '../context.js';
import { senderOf, type Sender } from './compose.js';
import { ReplyAddresses } from './reply-address.js';

export type MailSettings = NonNullable<Config['mail']>;

/** Email, when SMTP_URL and MAIL_FROM are set: its settings, addresses and kinds of job. */
export type Mail = {
  settings: MailSettings;
  sender: Sender;
  /** Set when replies come back (INBOUND_SMTP_PORT and INBOUND_EMAIL_DOMAIN). */
  replies: ReplyAddresses | undefined;
  send: JobHandler<Email>;
  unseenReplies: JobHandler<{ conversationId: string }>;
  waitingAlert: JobHandler<{ conversationId: string }>;
  receive: JobHandler<InboundReply>;
  passwordReset: JobHandler<{ email: string }>;
};

export function createMail(ctx: Context, settings: MailSettings): Mail {
  const sender = senderOf(settings.from);
  const mail: Mail = {
    settings,
    sender,
    replies:
      settings.inbound &&
      new ReplyAddresses(ctx.tokens.subkey('reply-addresses'), settings.inbound.domain),
    send: sendEmailJob(settings.smtpUrl, sender),
    unseenReplies: emailUnseenRepliesJob(ctx),
    waitingAlert: alertWaitingJob(ctx),
    receive: receiveEmailJob(ctx),
    passwordReset: sendPasswordResetJob(ctx),
  };
  ctx.jobs.register(
    mail.send,
    mail.unseenReplies,
    mail.waitingAlert,
    mail.receive,
    mail.passwordReset,
  );
  return mail;
}

/** The thread headers and reply address of a conversation's emails to its visitor. */
export function threadOf(mail: Mail, conversationId: string, visitorEmail: string) {
  return {
    conversationId,
    domain: mail.settings.inbound?.domain ?? mail.sender.address.split('@')[1] ?? 'parley.invalid',
    replyTo: mail.replies?.addressFor(conversationId, visitorEmail),
  };
}

/** The host of the page the visitor chatted from, to name the site. */
export const siteOf = (url: string | null) => {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};
