import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a reply address names: a conversation, with the signature that vouches for it. */
export type ReplyToken = { conversationId: string; signature: Buffer };

const LOCAL_PART = /^([0-9a-f]{32})-([0-9a-f]{24})$/;

/**
 * The reply address of a conversation: `<conversation id>-<signature>@<inbound domain>`. The
 * signature (HMAC-SHA256, 96 bits) covers the conversation and the visitor's address it was
 * sent to, so only someone who received Parley's email can write into that conversation, and
 * an address goes stale when the visitor's email changes or the conversation is deleted.
 * Hex only: some mail servers change the case of addresses. 57 characters, under SMTP's 64.
 */
export class ReplyAddresses {
  constructor(
    private readonly key: Buffer,
    readonly domain: string,
  ) {}

  addressFor(conversationId: string, visitorEmail: string): string {
    const id = conversationId.replace(/-/g, '');
    return `${id}-${this.sign(id, visitorEmail).toString('hex')}@${this.domain}`;
  }

  /** The token in an address of this domain, or null for any other address. */
  parse(address: string): ReplyToken | null {
    const at = address.lastIndexOf('@');
    if (at < 0 || address.slice(at + 1).toLowerCase() !== this.domain) return null;
    const match = LOCAL_PART.exec(address.slice(0, at).toLowerCase());
    if (!match?.[1] || !match[2]) return null;
    const id = match[1];
    return {
      conversationId: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
      signature: Buffer.from(match[2], 'hex'),
    };
  }

  /** Whether the token was signed for this conversation and this visitor address. */
  verify(token: ReplyToken, visitorEmail: string): boolean {
    const expected = this.sign(token.conversationId.replace(/-/g, ''), visitorEmail);
    return expected.length === token.signature.length && timingSafeEqual(expected, token.signature);
  }

  private sign(compactId: string, visitorEmail: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${compactId}\n${visitorEmail.toLowerCase()}`)
      .digest()
      .subarray(0, 12);
  }
}
