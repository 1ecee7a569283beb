import * as engineParser from 'engine.io-parser';
import { describe, expect, it } from 'vitest';
import * as textParser from './engine-text.js';

// The build puts engine-text.ts in engine.io-parser's place (vite.config.ts): for text it must
// say exactly what the real parser says, on both transports.
const packets = [
  { type: 'open' as const, data: '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000}' },
  { type: 'ping' as const },
  { type: 'pong' as const, data: 'probe' },
  { type: 'message' as const, data: '2/visitor,3["sync",{"conversations":{}}]' },
  { type: 'message' as const, data: '0/visitor,{"visitorToken":"t","text":"é 😀 \u001e"}' },
  { type: 'upgrade' as const },
  { type: 'noop' as const },
  { type: 'close' as const },
];

/** What an encoder hands its callback. */
const encoded = (encode: (done: (out: unknown) => void) => void) => {
  let out = '';
  encode((e) => (out = String(e)));
  return out;
};

describe('the text-only engine.io parser', () => {
  it('encodes and decodes text packets and payloads as engine.io-parser does', () => {
    expect(textParser.protocol).toBe(engineParser.protocol);
    for (const packet of packets) {
      const real = encoded((done) => engineParser.encodePacket(packet, true, done));
      expect(encoded((done) => textParser.encodePacket(packet, true, done))).toBe(real);
      expect(textParser.decodePacket(real)).toEqual(engineParser.decodePacket(real));
    }
    const safe = packets.filter((p) => !p.data?.includes('\u001e'));
    let payload = '';
    engineParser.encodePayload(safe, (p) => (payload = p));
    textParser.encodePayload(safe, (p) => expect(p).toBe(payload));
    expect(textParser.decodePayload(payload)).toEqual(engineParser.decodePayload(payload));
    expect(textParser.decodePacket('x')).toEqual(engineParser.decodePacket('x'));
    expect(textParser.decodePayload('4a\u001ez\u001e4b')).toEqual(
      engineParser.decodePayload('4a\u001ez\u001e4b'),
    );
  });
});
