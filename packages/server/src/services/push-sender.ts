import type { PushPayload } from '@parley/protocol';
import webpush from 'web-push';
import type { Config } from '../config.js';
import { getOrInsertSetting } from '../db/settings.js';
import type { Db } from '../db/client.js';

// The Web Push protocol (RFC 8030) with VAPID (RFC 8292) and encrypted payloads (RFC 8291):
// `web-push` makes the request (the VAPID signature and the aes128gcm encryption); this module
// sends it, to the push services configured only (docs/push.md).

/** The server's VAPID key pair and contact: made on first start, kept like the JWT secret. */
export type PushKeys = { publicKey: string; privateKey: string; subject: string };

export async function loadPushKeys(db: Db, config: Config): Promise<PushKeys> {
  const made = webpush.generateVAPIDKeys();
  const stored = await getOrInsertSetting(db, 'vapid_keys', made);
  const keys = isKeyPair(stored) ? stored : made;
  return { ...keys, subject: vapidSubject(config) };
}

const isKeyPair = (v: unknown): v is { publicKey: string; privateKey: string } =>
  typeof v === 'object' &&
  v !== null &&
  'publicKey' in v &&
  typeof v.publicKey === 'string' &&
  'privateKey' in v &&
  typeof v.privateKey === 'string';

/**
 * Whom the push services may write to about this server: VAPID_SUBJECT, else MAIL_FROM's
 * address, else PUBLIC_URL when https. Apple's service refuses a localhost one; others take it.
 */
function vapidSubject(config: Config): string {
  if (config.push.subject) return config.push.subject;
  const address = config.mail && /<([^>]+)>|^(\S+@\S+)$/.exec(config.mail.from.trim());
  if (address) return `mailto:${address[1] ?? address[2]}`;
  if (config.publicUrl?.startsWith('https://')) return config.publicUrl;
  return 'mailto:parley@localhost';
}

/**
 * Whether an endpoint is at one of the configured push services (origins, `*.` for a host's
 * subdomains): the server sends requests to subscriptions' endpoints, and an agent chooses what
 * they send, so no other address is ever called.
 */
export function isPushService(endpoint: string, services: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return services.some((service) => {
    const match = /^(https?):\/\/(\*\.)?([^:/]+)(?::(\d+))?$/i.exec(service);
    if (!match) return false;
    const [, scheme, wildcard, host, port] = match;
    if (url.protocol !== `${scheme?.toLowerCase()}:`) return false;
    if (port !== undefined && url.port !== port) return false;
    const name = url.hostname.toLowerCase();
    const want = host?.toLowerCase() ?? '';
    return wildcard ? name.endsWith(`.${want}`) : name === want;
  });
}

/** A browser's subscription as the sender needs it. */
export type PushTarget = { endpoint: string; p256dh: string; auth: string };

export type PushOutcome =
  | { kind: 'sent' }
  /** The push service forgot the subscription (404, 410): remove it. */
  | { kind: 'gone'; status: number }
  /** Worth another try later (429, 5xx, no answer). */
  | { kind: 'retry'; reason: string }
  /** Refused for good (400, 403, 413…): logged, not tried again. */
  | { kind: 'refused'; status: number; reason: string };

/**
 * Sends one push: encrypted for the subscription's keys, signed with the VAPID keys. `topic`
 * lets the push service replace an undelivered push of the same topic (a phone that was off
 * gets the latest only); `ttl` is how long it may wait for the device.
 */
export async function sendPush(
  keys: PushKeys,
  target: PushTarget,
  payload: PushPayload,
  opts: { topic: string; ttlSeconds: number; timeoutMs: number; services: readonly string[] },
): Promise<PushOutcome> {
  if (!isPushService(target.endpoint, opts.services)) {
    return { kind: 'refused', status: 0, reason: 'not a configured push service' };
  }
  let request: webpush.RequestDetails;
  try {
    request = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      JSON.stringify(payload),
      {
        vapidDetails: keys,
        TTL: opts.ttlSeconds,
        urgency: 'high',
        topic: opts.topic,
        contentEncoding: 'aes128gcm',
      },
    );
  } catch (error) {
    // Keys a browser would never give (checked on subscribe, so only a row from elsewhere).
    return { kind: 'refused', status: 0, reason: String(error) };
  }
  let res: Response;
  try {
    res = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body ?? undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (error) {
    return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
  }
  const text = (await res.text().catch(() => '')).slice(0, 200);
  if (res.status >= 200 && res.status < 300) return { kind: 'sent' };
  if (res.status === 404 || res.status === 410) return { kind: 'gone', status: res.status };
  if (res.status === 429 || res.status >= 500) {
    return { kind: 'retry', reason: `${res.status} ${text}`.trim() };
  }
  return { kind: 'refused', status: res.status, reason: text };
}

/**
 * The keys a browser gives: a P-256 public key (65 bytes, uncompressed) and a 16-byte secret.
 * Anything else could never be encrypted to, and is refused on subscribe.
 */
export function areBrowserKeys(p256dh: string, auth: string): boolean {
  const key = Buffer.from(p256dh, 'base64url');
  return key.length === 65 && key[0] === 0x04 && Buffer.from(auth, 'base64url').length === 16;
}
