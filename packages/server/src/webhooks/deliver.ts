import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pinnedLookup, resolvePublicAddress, type ResolvedAddress } from './address-guard.js';

/** One webhook request: a signed JSON body to an endpoint's URL. */
export type WebhookPost = {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** For the whole exchange: resolving, connecting, the answer and its body. */
  timeoutMs: number;
  allowPrivate: boolean;
};

export type WebhookOutcome = {
  /** The receiver answered 2xx. */
  delivered: boolean;
  responseStatus: number | null;
  latencyMs: number;
  /** Why it failed, without the answer: `HTTP 500`, `No answer within 800 ms`; null if 2xx. */
  error: string | null;
  /** The start of the receiver's answer, on one line (at most EXCERPT_CHARS); null if none. */
  answer: string | null;
};

/**
 * How much of an answer is read: enough for an error message. A receiver that streams
 * megabytes back is cut off there, so it can neither hold a worker nor fill its memory.
 */
const MAX_RESPONSE_BYTES = 4096;
/** What the delivery log keeps of an answer. */
const EXCERPT_CHARS = 300;
/** What it keeps of an error's message (a network error's text is Node's, short in practice). */
const ERROR_CHARS = 500;

const isRedirect = (status: number | null) => status !== null && status >= 300 && status < 400;

/**
 * What a delivery's own row keeps of its last attempt: why it failed with the start of the
 * answer (`HTTP 500: busy, try later`); a redirect's reason names where to instead.
 */
export const outcomeSummary = (o: WebhookOutcome): string | null =>
  o.error && o.answer && !isRedirect(o.responseStatus) ? `${o.error}: ${o.answer}` : o.error;

/**
 * Sends one webhook request and says how it went; it never throws. Redirects are not followed
 * (a 3xx is a failure: following it would leave the address checked). With private addresses
 * refused, the host is resolved once, every address checked, and the connection made to the
 * checked address only (no second lookup for DNS rebinding to answer differently).
 */
export async function postWebhook(post: WebhookPost): Promise<WebhookOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(post.timeoutMs);
  const latency = () => Math.round(performance.now() - started);
  try {
    const url = new URL(post.url);
    const target = post.allowPrivate
      ? undefined
      : await untilAborted(resolvePublicAddress(url.hostname), signal);
    const reply = await send(url, post, target, signal);
    const status = reply.status;
    const answer = reply.excerpt || null;
    if (status >= 200 && status < 300) {
      return { delivered: true, responseStatus: status, latencyMs: latency(), error: null, answer };
    }
    const error = isRedirect(status)
      ? `HTTP ${status}: redirects are not followed${reply.location ? ` (to ${reply.location.slice(0, 200)})` : ''}`
      : `HTTP ${status}`;
    return { delivered: false, responseStatus: status, latencyMs: latency(), error, answer };
  } catch (error) {
    const message = signal.aborted
      ? `No answer within ${post.timeoutMs} ms`
      : error instanceof Error
        ? error.message
        : String(error);
    return {
      delivered: false,
      responseStatus: null,
      latencyMs: latency(),
      error: message.slice(0, ERROR_CHARS),
      answer: null,
    };
  }
}

type Answer = { status: number; excerpt: string; location: string | undefined };

function send(
  url: URL,
  post: WebhookPost,
  target: ResolvedAddress | undefined,
  signal: AbortSignal,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) },
        // A fresh connection each time: a pooled one would skip the address check.
        agent: false,
        signal,
        ...(target ? { lookup: pinnedLookup(target) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          res.destroy();
          resolve({
            status: res.statusCode ?? 0,
            excerpt: excerptOf(Buffer.concat(chunks)),
            location: res.headers.location,
          });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) done();
        });
        res.on('end', done);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(post.body);
  });
}

/** The start of an answer as one line of text. */
function excerptOf(bytes: Buffer): string {
  const text = bytes
    .subarray(0, MAX_RESPONSE_BYTES)
    .toString('utf8')
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** `promise`, or the abort's reason if that comes first (a DNS lookup cannot be cancelled). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
