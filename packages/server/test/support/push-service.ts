import { createDecipheriv, createECDH, createHmac, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A push service of the tests' own (RFC 8030): each subscription is a path, each push a POST to
// it, kept as received; and a browser's side of the encryption (RFC 8291), to read each payload
// with the subscription's own keys. No push library on this side: the test checks the wire.

export type ReceivedPush = {
  /** The subscription's name (its path's last part). */
  name: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
};

export type TestPushService = {
  /** http://127.0.0.1:<port>: what PUSH_SERVICES allows in the tests. */
  origin: string;
  /** Every push received, in order. */
  received: ReceivedPush[];
  /** The endpoint of a subscription of this name. */
  endpoint(name: string): string;
  /** From now on, pushes to this subscription are answered with this status (404, 410, 500…). */
  answer(name: string, status: number): void;
  close(): Promise<void>;
};

export async function startPushService(): Promise<TestPushService> {
  const received: ReceivedPush[] = [];
  const answers = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      if (req.method !== 'POST' || !req.url?.startsWith('/push/')) {
        res.writeHead(404).end();
        return;
      }
      const status = answers.get(name) ?? 201;
      if (status === 201) {
        received.push({ name, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
        // RFC 8030 §5: 201 Created, with the push message's own address.
        res.writeHead(201, { location: `/message/${received.length}` }).end();
      } else {
        res.writeHead(status).end('refused by the test');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    received,
    endpoint: (name) => `${origin}/push/${encodeURIComponent(name)}`,
    answer: (name, status) => answers.set(name, status),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser's subscription keys: the P-256 key pair and the 16-byte auth secret. */
export type BrowserKeys = { ecdh: ECDH; p256dh: string; auth: string };

export function browserKeys(): BrowserKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    ecdh,
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/**
 * Reads a push as the browser would (RFC 8291 with RFC 8188's aes128gcm): the header gives the
 * salt, the record size and the server's one-time public key; the keys come from the shared
 * secret, the auth secret and both public keys; one record, ending in the padding delimiter 2.
 */
export function decryptPush(body: Buffer, keys: BrowserKeys): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20] ?? 0;
  const serverKey = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  const uaPublic = keys.ecdh.getPublicKey();
  const secret = keys.ecdh.computeSecret(serverKey);
  const auth = Buffer.from(keys.auth, 'base64url');
  // HKDF (RFC 5869) by hand: extract with the auth secret, expand with the key info.
  const prkKey = hmac(auth, secret);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, serverKey]);
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const tag = records.subarray(records.length - 16);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(tag);
  const padded = Buffer.concat([
    decipher.update(records.subarray(0, records.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with 2, then zero or more zeros of padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('not the last record of a push');
  return padded.subarray(0, end).toString('utf8');
}
