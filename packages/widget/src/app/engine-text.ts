// engine.io-parser (protocol 4) for text alone, in its place in the app's build (vite.config.ts):
// the visitor's packets are all text (Socket.IO's JSON; files go over HTTP), so the binary and
// base64 paths, a third of the parser, are never taken. Same exports, same wire format.

type Packet = { type: string; data?: unknown };

const TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const SEPARATOR = '\x1e';

export const protocol = 4;

export function encodePacket(
  packet: Packet,
  _supportsBinary: boolean,
  callback: (encoded: string) => void,
): void {
  const data = packet.data;
  callback(`${TYPES.indexOf(packet.type)}${typeof data === 'string' ? data : ''}`);
}

export function decodePacket(encoded: unknown): Packet {
  // Binary (a frame, or 'b' and base64): never sent to visitors; passed over, not failed on.
  if (typeof encoded !== 'string' || encoded[0] === 'b') return { type: 'noop' };
  const type = /^\d/.test(encoded) ? TYPES[Number(encoded[0])] : undefined;
  if (!type) return { type: 'error', data: 'parser error' };
  return encoded.length > 1 ? { type, data: encoded.slice(1) } : { type };
}

export function encodePayload(packets: Packet[], callback: (encoded: string) => void): void {
  const encoded: string[] = [];
  packets.forEach((p) => encodePacket(p, false, (e) => encoded.push(e)));
  callback(encoded.join(SEPARATOR));
}

export function decodePayload(payload: string): Packet[] {
  const packets: Packet[] = [];
  for (const encoded of payload.split(SEPARATOR)) {
    const packet = decodePacket(encoded);
    packets.push(packet);
    if (packet.type === 'error') break;
  }
  return packets;
}
