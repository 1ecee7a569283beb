import { Server } from 'socket.io';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RecoveryAdapter } from './recovery-adapter.js';

const WINDOW = 30_000;
// Only what the adapter reads of a namespace, with socket.io's own encoder. Sockets are joined
// to rooms through the adapter alone, so a broadcast is encoded for them and written to none.
const nsp = {
  name: '/agent',
  sockets: new Map(),
  server: {
    encoder: new Server().encoder,
    opts: { connectionStateRecovery: { maxDisconnectionDuration: WINDOW } },
  },
};

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

/** Broadcasts event `n` with argument {n}; returns the offset it was given, if it was kept. */
function broadcast(adapter: RecoveryAdapter, n: number, rooms: string[], except: string[] = []) {
  const packet = { type: 2, data: ['e', { n }] as unknown[] };
  adapter.broadcast(packet, { rooms: new Set(rooms), except: new Set(except) });
  return packet.data.length === 3 ? (packet.data[2] as string) : undefined;
}

/** A socket `sid` connected in `rooms` (and its own), to be dropped by `drop`. */
function connect(adapter: RecoveryAdapter, sid: string, rooms: string[]) {
  adapter.addAll(sid, new Set([sid, ...rooms]));
  return {
    drop: () => {
      adapter.delAll(sid);
      adapter.persistSession({ sid, pid: `pid-${sid}`, rooms: [sid, ...rooms], data: null });
    },
    restore: (offset: string | undefined) => adapter.restoreSession(`pid-${sid}`, offset ?? ''),
  };
}

const numbers = (packets: unknown[][]) => packets.map((p) => (p[1] as { n: number }).n);

it('gives back what a session missed since its offset, across chunks, once each, in order', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const socket = connect(adapter, 's', ['agents']);
  const offsets = Array.from({ length: 10_000 }, (_, n) => broadcast(adapter, n, ['agents']));
  socket.drop();
  const restored = await socket.restore(offsets[4_999]);
  expect(numbers(restored.missedPackets)).toEqual(
    Array.from({ length: 5_000 }, (_, i) => 5_000 + i),
  );
  // Each packet still ends with its own offset, as the client expects.
  expect(restored.missedPackets[0]?.at(-1)).toBe(offsets[5_000]);
  // A session is restored once.
  expect(await socket.restore(offsets[4_999])).toBeNull();
});

it('gives back any text exactly, whatever its length in bytes', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const socket = connect(adapter, 's', ['agents']);
  const from = broadcast(adapter, -1, ['agents']);
  // Multi-byte characters (2, 3 and 4 bytes in UTF-8), in messages long enough to fill many
  // pages, past a full chunk, and one larger than a page.
  const texts = Array.from({ length: 5_000 }, (_, n) => `é€👋 ${n} `.repeat(1 + (n % 50)));
  texts[1_234] = 'é€👋'.repeat(100_000);
  for (const [n, text] of texts.entries())
    adapter.broadcast(
      { type: 2, data: ['e', { n, text }] },
      { rooms: new Set(['agents']), except: new Set() },
    );
  socket.drop();
  const restored = (await socket.restore(from)).missedPackets.map((p) => p[1]);
  expect(restored).toEqual(texts.map((text, n) => ({ n, text })));
});

it('leaves out what was not for the session: other rooms, and rooms it was excepted from', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const a = connect(adapter, 's-a', ['visitor:a']);
  connect(adapter, 's-b', ['visitor:b']);
  const from = broadcast(adapter, 0, ['visitor:a']);
  a.drop();
  broadcast(adapter, 1, ['visitor:b']);
  broadcast(adapter, 2, ['visitor:a'], ['s-a']);
  broadcast(adapter, 3, ['visitor:a']);
  broadcast(adapter, 4, []);
  const restored = await a.restore(from);
  expect(numbers(restored.missedPackets)).toEqual([3, 4]);
});

it('keeps what no socket receives only while a session gone from its rooms may ask for it', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const socket = connect(adapter, 's', ['visitor:a']);
  const from = broadcast(adapter, 0, ['visitor:a']);
  // The sender's own room, except the sender: nobody receives it, and nobody is away.
  expect(broadcast(adapter, 1, ['visitor:a'], ['s'])).toBeUndefined();
  socket.drop();
  expect(broadcast(adapter, 2, ['visitor:a'])).toBeDefined();
  expect(broadcast(adapter, 3, ['visitor:b'])).toBeUndefined();
  expect(numbers((await socket.restore(from)).missedPackets)).toEqual([2]);
  // Restored, the session is no longer awaited.
  expect(broadcast(adapter, 4, ['visitor:a'])).toBeUndefined();
});

it('forgets broadcasts and sessions older than the window, and offsets of another process', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const socket = connect(adapter, 's', ['agents']);
  const old = Array.from({ length: 5_000 }, (_, n) => broadcast(adapter, n, ['agents']));
  vi.advanceTimersByTime(WINDOW + 1_000);
  const recent = Array.from({ length: 3 }, (_, n) => broadcast(adapter, 5_000 + n, ['agents']));
  socket.drop();
  // The first chunk (4,096 broadcasts) has expired and was dropped; the rest are still there.
  expect(await socket.restore(old[100])).toBeNull();
  socket.drop();
  expect(numbers((await socket.restore(old[4_999])).missedPackets)).toEqual([5_000, 5_001, 5_002]);
  socket.drop();
  expect(await socket.restore(`${'0'.repeat(8)}-1`)).toBeNull();
  // A session that went away longer ago than the window is not restored.
  socket.drop();
  vi.advanceTimersByTime(WINDOW + 1);
  expect(await socket.restore(recent[0])).toBeNull();
});

it('sends a restored socket what was broadcast during its handshake, once, when it connects', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const socket = connect(adapter, 's', ['agents']);
  const from = broadcast(adapter, 0, ['agents']);
  socket.drop();
  broadcast(adapter, 1, ['agents']);
  expect(numbers((await socket.restore(from)).missedPackets)).toEqual([1]);
  // As socket.io does: the socket is back in its rooms at once, but among the namespace's
  // sockets only once its handshake's middlewares (a database query) have passed.
  adapter.addAll('s', new Set(['s', 'agents']));
  broadcast(adapter, 2, ['agents']);
  broadcast(adapter, 3, ['visitor:a']);
  const written: unknown[][] = [];
  nsp.sockets.set('s', {
    client: { writeToEngine: () => {} },
    notifyOutgoingListeners: (packet: { data: unknown[] }) => written.push(packet.data),
  });
  try {
    adapter.addAll('s', new Set(['s'])); // connecting: it joins its own room
    broadcast(adapter, 4, ['agents']);
    adapter.addAll('s', new Set(['conversation:c']));
    expect(numbers(written)).toEqual([2, 4]);
  } finally {
    nsp.sockets.delete('s');
  }
});

it('keeps the text a broadcast was sent as, without encoding it again', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const socket = connect(adapter, 's', ['agents']);
  const from = broadcast(adapter, 0, ['agents']);
  let encoded = 0;
  const counted = () => ({
    toJSON: () => {
      encoded++;
      return { n: 1 };
    },
  });
  // What socket.io's encoding alone asks of the arguments.
  nsp.server.encoder.encode({ type: 2, nsp: '/agent', data: ['e', counted()] });
  const bySocketIo = encoded;
  encoded = 0;
  adapter.broadcast(
    { type: 2, data: ['e', counted()] },
    { rooms: new Set(['agents']), except: new Set() },
  );
  expect(encoded).toBe(bySocketIo);
  socket.drop();
  expect(numbers((await socket.restore(from)).missedPackets)).toEqual([1]);
});
