import { createTransport } from 'nodemailer';
import type { Config } from '../config.js';
import type { JobHandler } from './runner.js';

/** One email as a job keeps it: plain text always, HTML (already escaped) when there is one. */
export type Email = { to: string; subject: string; text: string; html?: string };

/**
 * Sends a queued email through the configured SMTP server. nodemailer encodes the headers, so a
 * line break in a name or subject cannot start a header of its own.
 */
export function emailJob(mail: NonNullable<Config['mail']>): JobHandler<Email> {
  const transport = createTransport(mail.smtpUrl);
  return {
    kind: 'email',
    maxAttempts: 8,
    async run(email) {
      await transport.sendMail({ from: mail.from, ...email });
    },
  };
}
