import type { Transporter } from 'nodemailer';
import type { Sender } from '../email/compose.js';
import type { JobHandler } from '../queue/kinds.js';

/**
 * Sends a queued email through the configured SMTP server. nodemailer encodes the headers, so a
 * line break in a name or subject cannot start a header of its own. It is loaded for the first
 * email, not at start.
 */
export function sendEmailJob(smtpUrl: string, sender: Sender): JobHandler<'email'> {
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
