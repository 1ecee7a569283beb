import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RecoveryAdapter } from './recovery-adapter.js';

const WINDOW = 30_000;
// Only what the adapter reads of a namespace, with no socket connected.
const nsp = {
  name: '/agent',
  sockets: new Map(),
  server: {
    encoder: { encode: () => ['encoded'] },
    opts: { connectionStateRecovery: { maxDisconnectionDuration: WINDOW } },
  },
};

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

/** Broadcasts event `n` with argument {n} to `rooms`, and returns the offset it was given. */
function broadcast(adapter: RecoveryAdapter, n: number, rooms: string[], except: string[] = []) {
  const packet = { type: 2, data: ['e', { n }] as unknown[] };
  adapter.broadcast(packet, { rooms: new Set(rooms), except: new Set(except) });
  return packet.data.at(-1) as string;
}

const session = (rooms: string[]) => ({ sid: 's', pid: 'p', rooms, data: null });
const numbers = (packets: unknown[][]) => packets.map((p) => (p[1] as { n: number }).n);

it('gives back what a session missed since its offset, across chunks, once each, in order', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const offsets = Array.from({ length: 10_000 }, (_, n) => broadcast(adapter, n, ['agents']));
  adapter.persistSession(session(['agents', 's']));
  const restored = await adapter.restoreSession('p', offsets[4_999] ?? '');
  expect(numbers(restored.missedPackets)).toEqual(
    Array.from({ length: 5_000 }, (_, i) => 5_000 + i),
  );
  // Each packet still ends with its own offset, as the client expects.
  expect(restored.missedPackets[0]?.at(-1)).toBe(offsets[5_000]);
  // A session is restored once.
  expect(await adapter.restoreSession('p', offsets[4_999] ?? '')).toBeNull();
});

it('leaves out what was not for the session: other rooms, and rooms it was excepted from', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const from = broadcast(adapter, 0, ['visitor:a']);
  broadcast(adapter, 1, ['visitor:b']);
  broadcast(adapter, 2, ['visitor:a'], ['s-a']);
  broadcast(adapter, 3, ['visitor:a']);
  broadcast(adapter, 4, []);
  adapter.persistSession({ ...session(['visitor:a', 's-a']) });
  const restored = await adapter.restoreSession('p', from);
  expect(numbers(restored.missedPackets)).toEqual([3, 4]);
});

it('forgets broadcasts and sessions older than the window, and offsets of another process', async () => {
  const adapter = new RecoveryAdapter(nsp);
  const old = Array.from({ length: 5_000 }, (_, n) => broadcast(adapter, n, ['agents']));
  vi.advanceTimersByTime(WINDOW + 1_000);
  const recent = Array.from({ length: 3 }, (_, n) => broadcast(adapter, 5_000 + n, ['agents']));
  adapter.persistSession(session(['agents']));
  // The first chunk (4,096 broadcasts) has expired and was dropped; the rest are still there.
  expect(await adapter.restoreSession('p', old[100] ?? '')).toBeNull();
  adapter.persistSession(session(['agents']));
  const kept = await adapter.restoreSession('p', old[4_999] ?? '');
  expect(numbers(kept.missedPackets)).toEqual([5_000, 5_001, 5_002]);
  adapter.persistSession(session(['agents']));
  const elsewhere = `${'0'.repeat(8)}-${(1).toString(36)}`;
  expect(await adapter.restoreSession('p', elsewhere)).toBeNull();
  // A session that went away longer ago than the window is not restored.
  adapter.persistSession(session(['agents']));
  vi.advanceTimersByTime(WINDOW + 1);
  expect(await adapter.restoreSession('p', recent[0] ?? '')).toBeNull();
});
