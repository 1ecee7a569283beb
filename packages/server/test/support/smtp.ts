import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../../tools/local.mjs';

/**
 * A real SMTP server for a test file (smtp-server), on 127.0.0.1, reading what it receives back
 * with mailparser. While `refusing`, it answers 451 to every message, as a mail server that is
 * down or full would.
 */
export type TestSmtp = {
  url: string;
  received: ParsedMail[];
  refusing: boolean;
  close(): Promise<void>;
};

export async function startSmtp(): Promise<TestSmtp> {
  const smtp: TestSmtp = {
    url: '',
    received: [],
    refusing: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      if (smtp.refusing) {
        stream.resume();
        stream.on('end', () =>
          callback(Object.assign(new Error('try later'), { responseCode: 451 })),
        );
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          smtp.received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  smtp.url = `smtp://127.0.0.1:${port}`;
  return smtp;
}
