import type { Socket as TcpSocket } from 'node:net';
import type { Server } from 'socket.io';

/** The parts of an Engine.IO connection and its transport this file touches. */
type Transport = { name: string; send(packets: unknown[]): void; socket?: { _socket?: TcpSocket } };
type Connection = {
  transport: Transport;
  on(event: 'upgrade', listener: (this: Connection) => void): void;
};

/**
 * Frames written to one connection during one tick leave in one write. A stored batch answers
 * and broadcasts dozens of messages at once, many of them to the same agent; written one frame
 * at a time, each is a system call through the TCP stack and a wake-up of the reader. The
 * WebSocket's TCP socket is corked on the first frame of a tick and uncorked once the tick's
 * callbacks and promise jobs have run, so nothing waits for a later tick.
 *
 * The functions involved are shared by every connection (nothing is made per connection): most
 * connections are widgets sitting idle, and they are many.
 */
export function coalesceWrites(io: Server): void {
  io.engine.on('connection', (conn: Connection) => {
    corkPerTick(conn.transport);
    // A connection that starts on long-polling gets its WebSocket with the upgrade.
    if (conn.transport.name !== 'websocket') conn.on('upgrade', corkUpgraded);
  });
}

function corkUpgraded(this: Connection) {
  corkPerTick(this.transport);
}

/** Wraps a WebSocket transport's send; other transports (long-polling) are left as they are. */
export function corkPerTick(transport: Transport): void {
  // The TCP socket under the `ws` WebSocket: neither Engine.IO nor ws exposes it otherwise.
  if (transport.name !== 'websocket' || !transport.socket?._socket) return;
  transport.send = sendCorked;
}

/** The transport's own `send` (its class's), after corking its TCP socket for the tick. */
function sendCorked(this: Transport, packets: unknown[]) {
  const tcp = this.socket?._socket;
  if (tcp && !tcp.writableCorked) {
    tcp.cork();
    process.nextTick(uncork, tcp);
  }
  const ownClass: Transport = Object.getPrototypeOf(this);
  ownClass.send.call(this, packets);
}

function uncork(tcp: TcpSocket) {
  tcp.uncork();
}
