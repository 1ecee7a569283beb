import { randomUUID } from 'node:crypto';
import type { AckReply, Message } from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';

type Namespace = '/agent' | '/visitor';
type Pending = { conversationId: string; content: string; clientId: string; type?: 'text' };
type Untyped = Socket & {
  timeout(ms: number): { emitWithAck(ev: string, ...args: unknown[]): Promise<AckReply<any>> };
};

/** How a message first reached the screen: broadcast, the sender's own ack, or `sync`. */
export type Arrival = 'live' | 'ack' | 'sync';

/**
 * A client that does what docs/architecture.md "The path of a message" asks of the widget and
 * the dashboard: an outbox of unacknowledged messages resent on every connect, `sync` by last
 * seq on every connect, on a gap in seqs and when the server says `sync.required`, and messages
 * shown once, in seq order. On a lost connection it reconnects, moving to the next URL when the
 * current one refuses (a load balancer's job, done here by hand).
 */
export class ReliableClient {
  /** What the user sees, per conversation, in order. */
  readonly shown = new Map<string, Message[]>();
  readonly outbox = new Map<string, Pending>();
  /** Messages that arrived again after being shown (suppressed, never shown twice). */
  repeats = 0;
  /** Milliseconds from each lost connection to the next successful one. */
  readonly reconnects: number[] = [];
  socket: Untyped | undefined;
  /** Why the last connection attempt failed, for a test's failure message. */
  lastError: string | undefined;
  /** Message id -> how it was first shown. */
  readonly arrivals = new Map<string, Arrival>();
  /** Syncs asked for, by reason (several asked for at once may share one run). */
  readonly syncsAsked = { connect: 0, gap: 0, required: 0 };
  private urlIndex = 0;
  private closed = false;
  private lostAt: number | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly onMessage = (m: Message) => this.receive(m, 'live');
  private readonly onSyncRequired = () => {
    this.syncsAsked.required++;
    void this.sync();
  };

  constructor(
    private readonly urls: string[],
    private readonly namespace: Namespace,
    private readonly auth: Record<string, string>,
  ) {}

  get connected() {
    return this.socket?.connected ?? false;
  }

  /** Connects (to the first URL that accepts) and resolves once synced. */
  async connect(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const url = this.urls[this.urlIndex % this.urls.length];
      const socket = io(`${url}${this.namespace}`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: this.auth,
        timeout: 2_000,
      }) as Untyped;
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
          this.lastError = `${error.message} ${error.data?.code ?? ''}`;
          resolve(false);
        });
        // The transport opened but the server went (kill -9) before it answered the namespace:
        // socket.io-client reports that as a disconnect of a socket never connected, and no
        // connect_error follows. Waiting for either alone would wait for ever.
        const lost = (reason: string) => {
          this.lastError = `lost before connected: ${reason}`;
          resolve(false);
        };
        socket.once('disconnect', lost);
        socket.once('connect', () => socket.off('disconnect', lost));
      });
      if (!ok) {
        socket.close();
        this.urlIndex++;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      this.socket = socket;
      socket.on('message.created', this.onMessage);
      socket.on('sync.required', this.onSyncRequired);
      socket.once('disconnect', (reason) => {
        socket.off('message.created', this.onMessage);
        socket.off('sync.required', this.onSyncRequired);
        if (this.closed || reason === 'io client disconnect') return;
        this.lostAt = Date.now();
        void this.connect();
      });
      if (this.lostAt !== undefined) {
        this.reconnects.push(Date.now() - this.lostAt);
        this.lostAt = undefined;
      }
      this.syncsAsked.connect++;
      await this.sync();
      this.flush();
      return;
    }
  }

  track(conversationId: string) {
    if (!this.shown.has(conversationId)) this.shown.set(conversationId, []);
  }

  lastSeq(conversationId: string): number {
    return this.shown.get(conversationId)?.at(-1)?.seq ?? 0;
  }

  /** Queues a message; it is sent now if connected, else on the next connect. */
  send(conversationId: string, content: string): string {
    const clientId = randomUUID();
    const pending: Pending = { conversationId, content, clientId };
    if (this.namespace === '/agent') pending.type = 'text';
    this.outbox.set(clientId, pending);
    this.transmit(pending);
    return clientId;
  }

  private flush() {
    for (const pending of this.outbox.values()) this.transmit(pending);
  }

  private transmit(pending: Pending) {
    const socket = this.socket;
    if (!socket?.connected) return;
    socket
      .timeout(5_000)
      .emitWithAck('message.send', pending)
      .then((reply) => {
        if (!reply.ok) {
          // Over the rate limit: back off and try again, as a person would after a moment.
          if (reply.error.code === 'rate_limited') setTimeout(() => this.transmit(pending), 1_000);
          return;
        }
        this.outbox.delete(pending.clientId);
        this.receive(reply.data.message, 'ack');
      })
      .catch(() => {}); // no ack (connection lost): it stays in the outbox for the next connect
  }

  private receive(m: Message, how: Arrival) {
    this.track(m.conversationId);
    const last = this.lastSeq(m.conversationId);
    if (m.seq <= last) {
      this.repeats++;
      return;
    }
    // A gap (a message still on its way, or one this side may not see): ask the database.
    if (m.seq > last + 1) {
      this.syncsAsked.gap++;
      void this.sync();
      return;
    }
    this.shown.get(m.conversationId)?.push(m);
    this.arrivals.set(m.id, how);
  }

  /**
   * Everything past the last seq seen of each tracked conversation, in order. A sync asked for
   * while one runs starts after it (what it fetched may predate the caller's need); several
   * asked for meanwhile share that one.
   */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.runSync().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.sync();
    });
    return this.queued;
  }

  private async runSync() {
    const socket = this.socket;
    if (!socket?.connected) return;
    const conversations = Object.fromEntries(
      [...this.shown.keys()].map((id) => [id, this.lastSeq(id)]),
    );
    const reply = await socket
      .timeout(5_000)
      .emitWithAck('sync', { conversations })
      .catch(() => null);
    if (!reply?.ok) return;
    for (const m of reply.data.messages as Message[]) {
      const list = this.shown.get(m.conversationId);
      if (!list) continue;
      if (m.seq <= this.lastSeq(m.conversationId)) this.repeats++;
      else {
        list.push(m);
        this.arrivals.set(m.id, 'sync');
      }
    }
  }

  close() {
    this.closed = true;
    this.socket?.close();
  }
}
