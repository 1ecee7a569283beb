import { createServer } from 'node:http';
import type { AddressInfo, Socket as TcpSocket } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterEach, expect, it } from 'vitest';
import { coalesceWrites } from './coalesce-writes.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** A socket.io server, a client connected over WebSocket, and the server's TCP socket to it. */
async function connected(coalesce: boolean) {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  if (coalesce) coalesceWrites(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => void io.close());
  const { port } = http.address() as AddressInfo;
  const serverSide = new Promise<import('socket.io').Socket>((resolve) =>
    io.on('connection', resolve),
  );
  const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  cleanup.push(() => client.close());
  const socket = await serverSide;
  if (!client.connected) await new Promise<void>((resolve) => client.once('connect', resolve));
  const transport = socket.conn.transport as unknown as { socket: { _socket: TcpSocket } };
  return { socket, client, tcp: transport.socket._socket };
}

/** Counts the writes that reach the TCP socket (each one a system call). */
function countWrites(tcp: TcpSocket) {
  const counted = tcp as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  let writes = 0;
  for (const name of ['_write', '_writev'] as const) {
    const original = counted[name].bind(tcp);
    counted[name] = (...args) => {
      writes++;
      original(...args);
    };
  }
  return () => writes;
}

async function sendBurst(coalesce: boolean) {
  const { socket, client, tcp } = await connected(coalesce);
  const writes = countWrites(tcp);
  const received: number[] = [];
  const all = new Promise<void>((resolve) =>
    client.on('n', (n: number) => {
      received.push(n);
      if (received.length === 20) resolve();
    }),
  );
  for (let n = 0; n < 20; n++) socket.emit('n', n);
  await all;
  return { received, writes: writes() };
}

it('sends the frames of one tick to a connection in one write, all of them and in order', async () => {
  const plain = await sendBurst(false);
  const coalesced = await sendBurst(true);
  const order = Array.from({ length: 20 }, (_, n) => n);
  expect(plain.received).toEqual(order);
  expect(coalesced.received).toEqual(order);
  // Without: one write per frame. With: the first frame, then the 19 queued behind it.
  expect(plain.writes).toBeGreaterThanOrEqual(20);
  expect(coalesced.writes).toBeLessThanOrEqual(2);
});
