import type { ParsedMail } from 'mailparser';
import { createTransport, type Transporter } from 'nodemailer';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../../../tools/local.mjs';
import { useServer } from '../harness.js';
import { startSmtp, type TestSmtp } from './smtp.js';

/** What a mail client sends to Parley's inbound port. */
export type InboundMail = {
  to: string;
  text?: string;
  html?: string;
  raw?: string;
  from?: string;
  envelope?: { from: string; to: string };
  messageId?: string;
  inReplyTo?: string;
  attachments?: { filename: string; content: string | Buffer }[];
};

export const toOf = (mail: ParsedMail) => (mail.to && 'text' in mail.to ? mail.to.text : '');

/**
 * A server that sends email to a real SMTP server started here and takes replies on its own
 * SMTP listener: email both ways, over real SMTP. `extra`: variables beside the email ones.
 */
export function useEmailServer(extra: Record<string, string> = {}) {
  let smtp: TestSmtp | undefined;
  let inboundPort = 0;
  const env: Record<string, string> = {
    MAIL_FROM: 'Acme Support <support@acme.example>',
    PUBLIC_URL: 'https://chat.acme.example',
    INBOUND_EMAIL_DOMAIN: 'reply.acme.example',
    EMAIL_UNSEEN_DELAY_SECONDS: '1',
    EMAIL_WAITING_ALERT_SECONDS: '1',
    ...extra,
  };
  beforeAll(async () => {
    smtp = await startSmtp();
    inboundPort = await freePort();
    env.SMTP_URL = smtp.url;
    env.INBOUND_SMTP_PORT = String(inboundPort);
  });
  afterAll(() => smtp?.close());
  const server = useServer({ env });
  const mailServer = () => {
    if (!smtp) throw new Error('SMTP server not started');
    return smtp;
  };
  /** A mail client connected to Parley's inbound port (`pool`: several connections at once). */
  const inboundTransport = (pool?: { maxConnections: number }): Transporter =>
    createTransport({
      host: '127.0.0.1',
      port: inboundPort,
      secure: false,
      ignoreTLS: true,
      ...(pool ? { pool: true, maxConnections: pool.maxConnections } : {}),
    });
  return {
    server,
    get smtp() {
      return mailServer();
    },
    /** The mails received for `address`. */
    mailTo: (address: string) => mailServer().received.filter((m) => toOf(m) === address),
    inboundTransport,
    /** A visitor's mail client (or an attacker's script) sending one mail to Parley. */
    sendMail(mail: InboundMail) {
      const transport = inboundTransport();
      return transport
        .sendMail({ from: 'vera@example.com', subject: 'Re: your chat', ...mail })
        .finally(() => transport.close());
    },
  };
}
