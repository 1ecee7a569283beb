import type { Socket as TcpSocket } from 'node:net';
import type { Server } from 'socket.io';

/** The parts of an Engine.IO connection and its transport this file touches. */
type Transport = { name: string; send(packets: unknown[]): void; socket?: { _socket?: TcpSocket } };
type Connection = { transport: Transport; on(event: 'upgrade', listener: () => void): void };

/**
 * Frames written to one connection during one tick leave in one write. A stored batch answers
 * and broadcasts dozens of messages at once, many of them to the same agent; written one frame
 * at a time, each is a system call through the TCP stack and a wake-up of the reader. The
 * WebSocket's TCP socket is corked on the first frame of a tick and uncorked once the tick's
 * callbacks and promise jobs have run, so nothing waits for a later tick.
 */
export function coalesceWrites(io: Server): void {
  io.engine.on('connection', (conn: Connection) => {
    corkPerTick(conn.transport);
    conn.on('upgrade', () => corkPerTick(conn.transport));
  });
}

/** Wraps a WebSocket transport's send; other transports (long-polling) are left as they are. */
export function corkPerTick(transport: Transport): void {
  // The TCP socket under the `ws` WebSocket: neither Engine.IO nor ws exposes it otherwise.
  const tcp = transport.socket?._socket;
  if (transport.name !== 'websocket' || !tcp) return;
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    if (!tcp.writableCorked) {
      tcp.cork();
      process.nextTick(() => tcp.uncork());
    }
    send(packets);
  };
}
