import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookEvent } from '@parley/protocol';

/** One request as the receiver got it, with what its own check of the signature found. */
export type ReceivedWebhook = {
  headers: IncomingHttpHeaders;
  raw: string;
  event: WebhookEvent;
  /** How the body differs from the protocol's WebhookEvent; null when it matches. */
  schemaError: string | null;
  /** The signature matched the body with the secret the test gave (`receiver.secret`). */
  verified: boolean;
  /** Seconds between the signature's timestamp and its arrival. */
  age: number;
  /** When it arrived (Date.now()). */
  at: number;
};

/**
 * A real webhook receiver for tests (node:http on 127.0.0.1), written as docs/webhooks.md tells
 * integrators to: it checks the signature over the raw body, and handles each event id once
 * (and only events whose body matches the protocol's schema).
 * `answer` decides the reply to each request (200 by default); `processed` are the events it
 * accepted, first time only, in the order they came.
 */
export type WebhookReceiver = {
  url: string;
  secret: string;
  requests: ReceivedWebhook[];
  processed: WebhookEvent[];
  answer: (request: ReceivedWebhook, res: ServerResponse) => void;
  /** Connections the receiver saw closed before it had finished answering. */
  cutOff: number;
  /** Forgets everything received and answers 200 again (between tests). */
  reset(): void;
  close(): Promise<void>;
};

const accept = (_request: ReceivedWebhook, res: ServerResponse) => res.writeHead(200).end('ok');

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const seen = new Set<string>();
  const receiver: WebhookReceiver = {
    url: '',
    secret: '',
    requests: [],
    processed: [],
    answer: accept,
    cutOff: 0,
    reset: () => {
      seen.clear();
      Object.assign(receiver, { requests: [], processed: [], answer: accept, cutOff: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const { verified, age } = verify(receiver.secret, req.headers['parley-signature'], raw);
      const parsed = WebhookEvent.safeParse(JSON.parse(raw));
      const request: ReceivedWebhook = {
        headers: req.headers,
        raw,
        event: parsed.success ? parsed.data : (JSON.parse(raw) as WebhookEvent),
        schemaError: parsed.success ? null : parsed.error.message,
        verified,
        age,
        at: Date.now(),
      };
      receiver.requests.push(request);
      res.on('close', () => {
        if (!res.writableFinished) receiver.cutOff++;
      });
      receiver.answer(request, res);
      const ok = res.headersSent && res.statusCode >= 200 && res.statusCode < 300;
      if (ok && verified && !request.schemaError && !seen.has(request.event.id)) {
        seen.add(request.event.id);
        receiver.processed.push(request.event);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** The check docs/webhooks.md shows: HMAC-SHA256 of "<t>.<raw body>", compared in constant time. */
function verify(secret: string, header: string | string[] | undefined, raw: string) {
  const parts = new Map(
    String(header ?? '')
      .split(',')
      .map((p) => p.split('=') as [string, string]),
  );
  const t = Number(parts.get('t'));
  const expected = createHmac('sha256', secret)
    .update(`${parts.get('t')}.${raw}`)
    .digest();
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  const verified =
    Number.isInteger(t) && given.length === expected.length && timingSafeEqual(given, expected);
  return { verified, age: Math.abs(Date.now() / 1000 - t) };
}
