import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Splitter, type SplitterChunk } from '@zone-eu/mailsplit';

type MimeNode = Extract<SplitterChunk, { type: 'node' }>;

/** What an email's text is made of, read from its MIME parts before anything is decoded. */
export type BodyParts = {
  /** A text/plain part is the body; otherwise the text is flattened from its HTML. */
  plainText: boolean;
  /** A text part says it is base64 and is not: decoding it would make noise of it. */
  brokenBase64: boolean;
};

/** A message with no Content-Type is plain text (RFC 2045), as mailparser reads it. */
const typeOf = (node: MimeNode) => node.contentType || (node.root ? 'text/plain' : '');
const isText = (node: MimeNode) =>
  !node.multipart &&
  node.disposition !== 'attachment' &&
  (typeOf(node) === 'text/plain' || typeOf(node) === 'text/html');

/**
 * Walks the MIME parts of a raw email. Base64 decoders (mailparser's too) skip what is not in
 * the alphabet and decode the rest, so plain text sent as "base64" arrives as bytes that mean
 * nothing; here each text part declared base64 is checked as it is written instead: the
 * alphabet and whitespace only, padding only at the end, whole groups of four. Attachments are
 * not checked: Parley does not keep them.
 */
export async function inspectBody(raw: Buffer): Promise<BodyParts> {
  const parts: BodyParts = { plainText: false, brokenBase64: false };
  const checks = new Map<MimeNode, Base64Check>();
  const read = (chunk: SplitterChunk) => {
    if (chunk.type === 'node') {
      if (!isText(chunk)) return;
      if (typeOf(chunk) === 'text/plain') parts.plainText = true;
      if (chunk.encoding === 'base64') checks.set(chunk, new Base64Check());
    } else if (chunk.type === 'body') {
      checks.get(chunk.node)?.add(chunk.value);
    }
  };
  await pipeline(
    Readable.from([raw]),
    new Splitter(),
    new Writable({
      objectMode: true,
      write(chunk: SplitterChunk, _encoding, done) {
        read(chunk);
        done();
      },
    }),
  );
  parts.brokenBase64 = [...checks.values()].some((check) => !check.valid);
  return parts;
}

const WHITESPACE = new Set([0x09, 0x0a, 0x0d, 0x20]);
const PAD = 0x3d; // '='
const inAlphabet = (b: number) =>
  (b >= 0x41 && b <= 0x5a) || // A-Z
  (b >= 0x61 && b <= 0x7a) || // a-z
  (b >= 0x30 && b <= 0x39) || // 0-9
  b === 0x2b || // +
  b === 0x2f; // /

/** Base64 as RFC 2045 writes it, checked a chunk at a time. */
class Base64Check {
  private chars = 0;
  private pads = 0;
  private bad = false;

  add(chunk: Buffer): void {
    for (const b of chunk) {
      if (this.bad) return;
      if (WHITESPACE.has(b)) continue;
      if (b === PAD) this.bad = ++this.pads > 2;
      else if (this.pads > 0 || !inAlphabet(b)) this.bad = true;
      else this.chars++;
    }
  }

  /** Padded, whole groups of four; unpadded, any length but one that no bytes make. */
  get valid(): boolean {
    if (this.bad) return false;
    return this.pads > 0 ? (this.chars + this.pads) % 4 === 0 : this.chars % 4 !== 1;
  }
}
