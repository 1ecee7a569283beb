import type { Config } from '../config.js';
import type { Tokens } from '../services/tokens.js';
import { senderOf, type Sender } from './compose.js';
import { ReplyAddresses } from './reply-address.js';

export type MailSettings = NonNullable<Config['mail']>;

/**
 * Email, when SMTP_URL and MAIL_FROM are set: its settings and addresses. Its kinds of job
 * (jobs/index.ts) and its outlet (outlets/email.ts) are started only then.
 */
export type Mail = {
  settings: MailSettings;
  sender: Sender;
  /** Set when replies come back (INBOUND_SMTP_PORT and INBOUND_EMAIL_DOMAIN). */
  replies: ReplyAddresses | undefined;
};

export function createMail(settings: MailSettings, tokens: Tokens): Mail {
  return {
    settings,
    sender: senderOf(settings.from),
    replies:
      settings.inbound &&
      new ReplyAddresses(tokens.subkey('reply-addresses'), settings.inbound.domain),
  };
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
