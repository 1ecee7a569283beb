import type { VisitorClientEvents, VisitorServerEvents } from '@parley/protocol';
import { Socket as Engine } from 'engine.io-client';

// The visitor's Socket.IO connection, as much of socket.io-client as the chat uses, on
// engine.io-client (which keeps the transports: long-polling first, then the upgrade to a
// WebSocket, and the heartbeat). socket.io-client's own layer and its parser were 5 KB gzipped
// of what every visitor downloads (issue 33); this is about 1 KB. It speaks Socket.IO's protocol
// (v5) as the text parser does, for one namespace, without binary packets (the visitor's events
// are JSON; files go over HTTP), and behaves as socket.io-client does:
// - `emit` while disconnected waits in a buffer, sent on (re)connect before `connect` fires;
// - `timeout(ms).emit(..., ack)` answers `ack(error)` after `ms`, or as soon as the connection
//   drops once sent;
// - a dropped connection is retried after 1 s, doubling up to 5 s, each ±50%; not after
//   `disconnect()`, the server's refusal (`connect_error` with its `data`) or its disconnect;
// - the server's connection state recovery: `pid` and the last event's offset go with `auth`
//   on a reconnect, so that what was missed meanwhile is replayed.

const CONNECT = '0';
const DISCONNECT = '1';
const EVENT = '2';
const ACK = '3';
const CONNECT_ERROR = '4';
/** A connection attempt that neither opens nor fails is given up after this, and retried. */
const OPEN_TIMEOUT_MS = 20_000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 5000;

export type ConnectError = Error & { data?: unknown };
type Reserved = {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: ConnectError) => void;
};
type Listeners = VisitorServerEvents & Reserved;
type Command = keyof VisitorClientEvents;
type Payload<E extends Command> = Parameters<VisitorClientEvents[E]>[0];
type Reply<E extends Command> = Parameters<
  Exclude<Parameters<VisitorClientEvents[E]>[1], undefined>
>[0];
type Ack = (error: Error | null, reply?: unknown) => void;
/** What this layer uses of engine.io-client's socket (a test hands in its own). */
export type Transport = Pick<Engine, 'on' | 'send' | 'close' | '_hasPingExpired'>;

/** Long-polling first, then the upgrade to a WebSocket, as socket.io-client does. */
const connectToParley = (): Transport =>
  new Engine(location.origin, { path: '/socket.io', transports: ['polling', 'websocket'] });

export class VisitorSocket {
  connected = false;
  /** Connecting, connected or waiting to retry: false after `disconnect()` or a refusal. */
  active = false;
  private engine: Transport | null = null;
  private readonly listeners = new Map<string, Set<Listeners[keyof Listeners]>>();
  /** Emitted while disconnected, in order: sent once connected. */
  private buffer: Array<{ packet: string; id?: number }> = [];
  private readonly acks = new Map<number, Ack>();
  private nextId = 0;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The server's connection state recovery: its session id and the last event's offset. */
  private recovery: { pid: string; offset?: string } | null = null;

  /** `auth` is asked at each (re)connect, so that it carries the visitor's latest token. */
  constructor(
    private readonly nsp: string,
    private readonly auth: () => Record<string, unknown>,
    private readonly transport: () => Transport = connectToParley,
  ) {
    this.connect();
  }

  on<E extends keyof Listeners>(event: E, fn: Listeners[E]): this {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set.add(fn));
    return this;
  }

  connect(): this {
    if (this.active) return this;
    this.active = true;
    this.open();
    return this;
  }

  disconnect(): this {
    if (this.connected) this.engine?.send(`${DISCONNECT}${this.nsp},`);
    this.stop();
    if (this.connected) this.closed('io client disconnect');
    return this;
  }

  emit<E extends Command>(event: E, payload: Payload<E>): this {
    this.send([event, payload]);
    return this;
  }

  /** An emit whose `ack` gets an error when no answer came within `ms`. */
  timeout(ms: number) {
    return {
      emit: <E extends Command>(
        event: E,
        payload: Payload<E>,
        ack: (error: Error | null, reply: Reply<E>) => void,
      ): void => {
        // As in socket.io-client, an error comes alone; the reply, typed by the command's
        // declaration in the protocol, is our own server's.
        const answer = ack as Ack;
        const id = this.nextId++;
        const timer = setTimeout(() => {
          this.acks.delete(id);
          this.buffer = this.buffer.filter((b) => b.id !== id);
          answer(new Error('operation has timed out'));
        }, ms);
        this.acks.set(id, (error, reply) => {
          clearTimeout(timer);
          answer(error, reply);
        });
        this.send([event, payload], id);
      },
    };
  }

  private fire(event: string, ...args: unknown[]) {
    this.listeners.get(event)?.forEach((fn) => Reflect.apply(fn, undefined, args));
  }

  private send(data: unknown[], id?: number) {
    const packet = `${EVENT}${this.nsp},${id ?? ''}${JSON.stringify(data)}`;
    // A heartbeat overdue (a phone waking up) means the connection is gone: wait for the next.
    if (this.connected && this.engine && !this.engine._hasPingExpired()) this.engine.send(packet);
    else this.buffer.push({ packet, id });
  }

  private open() {
    const engine = this.transport();
    this.engine = engine;
    let opened = false;
    const timer = setTimeout(() => this.failed(engine, new Error('timeout')), OPEN_TIMEOUT_MS);
    engine.on('open', () => {
      clearTimeout(timer);
      opened = true;
      this.attempts = 0;
      const auth = this.recovery ? { ...this.recovery, ...this.auth() } : this.auth();
      engine.send(`${CONNECT}${this.nsp},${JSON.stringify(auth)}`);
    });
    engine.on('message', (data) => {
      // After a microtask, as socket.io-client: a listener that throws cannot break the
      // handling of the packets after it.
      if (typeof data === 'string')
        queueMicrotask(() => this.engine === engine && this.receive(engine, data));
    });
    engine.on('error', (error) => {
      const reason = error instanceof Error ? error : new Error(String(error));
      if (!opened) this.failed(engine, reason);
      else if (!this.connected && this.engine === engine) this.fire('connect_error', reason);
    });
    engine.on('close', (reason) => {
      clearTimeout(timer);
      if (this.engine !== engine) return;
      if (!opened) return this.failed(engine, new Error(reason));
      this.engine = null;
      this.closed(reason);
      this.retry();
    });
  }

  /** The attempt failed before the transport opened: said, and retried. */
  private failed(engine: Transport, error: Error) {
    if (this.engine !== engine) return;
    this.engine = null;
    engine.close();
    this.fire('connect_error', error);
    this.retry();
  }

  /** Waits 1 s, 2 s, 4 s, then 5 s between attempts, each ±50% so that clients spread out. */
  private retry() {
    if (!this.active || this.retryTimer) return;
    const base = Math.min(RETRY_FIRST_MS * 2 ** this.attempts++, RETRY_MAX_MS);
    const delay = Math.min(base * (0.5 + Math.random()), RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.active) this.open();
    }, delay);
  }

  /** No more (re)connecting: by `disconnect()`, or as the server said. */
  private stop() {
    this.active = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const engine = this.engine;
    this.engine = null;
    engine?.close();
  }

  private closed(reason: string) {
    this.connected = false;
    this.fire('disconnect', reason);
    // Sent and unanswered, they will not be answered now; buffered ones still may be.
    for (const [id, ack] of this.acks) {
      if (this.buffer.some((b) => b.id === id)) continue;
      this.acks.delete(id);
      ack(new Error('socket has been disconnected'));
    }
  }

  private receive(engine: Transport, data: string) {
    if (!data.startsWith(`${this.nsp},`, 1)) return;
    const type = data[0];
    let rest = data.slice(this.nsp.length + 2);
    const id = /^\d+/.exec(rest)?.[0];
    if (id) rest = rest.slice(id.length);
    let body: unknown;
    try {
      body = rest ? JSON.parse(rest) : undefined;
    } catch {
      return;
    }
    const field = (key: string): unknown =>
      typeof body === 'object' && body !== null ? Reflect.get(body, key) : undefined;
    if (type === CONNECT) {
      const pid = field('pid');
      this.recovery = typeof pid === 'string' ? { ...this.recovery, pid } : null;
      this.connected = true;
      const buffered = this.buffer;
      this.buffer = [];
      buffered.forEach((b) => engine.send(b.packet));
      this.fire('connect');
    } else if (type === EVENT && Array.isArray(body)) {
      const [event, ...args]: unknown[] = body;
      // With recovery on, the server adds each event's offset as its last argument.
      const offset = args[args.length - 1];
      if (this.recovery && typeof offset === 'string') this.recovery.offset = offset;
      if (typeof event === 'string') this.fire(event, ...args);
    } else if (type === ACK && id !== undefined && Array.isArray(body)) {
      const ack = this.acks.get(Number(id));
      this.acks.delete(Number(id));
      ack?.(null, body[0]);
    } else if (type === DISCONNECT) {
      this.stop();
      this.closed('io server disconnect');
    } else if (type === CONNECT_ERROR) {
      this.stop();
      const error: ConnectError = new Error(String(field('message')));
      error.data = field('data');
      this.fire('connect_error', error);
    }
  }
}
