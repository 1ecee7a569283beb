import type { Transporter } from 'nodemailer';
import type { Sender } from '../email/compose.js';
import type { JobHandler } from './runner.js';

/**
 * One email as a job keeps it: plain text always, HTML (already escaped) when there is one, and
 * the headers that thread it (Message-ID, In-Reply-To, References) and route its answer
 * (Reply-To). `fromName` is shown with MAIL_FROM's address.
 */
export type Email = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  fromName?: string;
  replyTo?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
};

/**
 * Sends a queued email through the configured SMTP server. nodemailer encodes the headers, so a
 * line break in a name or subject cannot start a header of its own. It is loaded for the first
 * email, not at start.
 */
export function sendEmailJob(smtpUrl: string, sender: Sender): JobHandler<Email> {
  let transport: Promise<Transporter> | undefined;
  return {
    kind: 'email',
    maxAttempts: 8,
    async run({ fromName, ...email }) {
      transport ??= import('nodemailer').then(({ createTransport }) => createTransport(smtpUrl));
      const smtp = await transport;
      await smtp.sendMail({
        from: { name: fromName ?? sender.name, address: sender.address },
        ...email,
      });
    },
  };
}
