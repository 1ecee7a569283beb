import { randomBytes } from 'node:crypto';
import {
  Adapter,
  type BroadcastOptions,
  type PrivateSessionId,
  type Room,
  type Session,
} from 'socket.io-adapter';

type SessionToPersist = Omit<Session, 'missedPackets'>;
/** A broadcast as kept for recovery: its audience and its arguments as JSON, nothing more. */
type Kept = { offset: string; at: number; rooms: Room[]; except: Room[]; json: string };
/** The fields of a socket.io packet this adapter reads. */
type Packet = { type: number; id?: number; data: unknown[] };

const EVENT = 2;
/** How often expired broadcasts and sessions are dropped. */
const TRIM_EVERY_MS = 1000;
/** Broadcasts are kept in chunks of this many, and dropped a whole chunk at a time. */
const CHUNK = 4096;

/**
 * Connection-state recovery on one instance (with Redis, the streams adapter does this), in
 * place of socket.io's own in-memory adapter, which keeps each broadcast's live objects (the
 * message, its rooms as Sets) for the whole window and then up to a minute more until its
 * cleanup timer runs. At thousands of messages a second, that kept graph is what the garbage
 * collector spent its time copying. Here a broadcast is kept as one JSON string for the window
 * (and at most one chunk more). One that reaches no connected socket is not encoded for the
 * wire, and is kept only if a session gone from its rooms may come back for it.
 */
export class RecoveryAdapter extends Adapter {
  private readonly windowMs: number;
  /** Sessions of sockets that went away, and when they did. */
  private readonly sessions = new Map<
    PrivateSessionId,
    { session: SessionToPersist; at: number }
  >();
  /** How many of those sessions were in each room. */
  private readonly awaiting = new Map<Room, number>();
  /**
   * Oldest first, in chunks: dropping the oldest never copies the hundreds of thousands kept.
   * Every chunk but the last is full, so broadcast number n (its offset) is found by arithmetic.
   */
  private readonly kept: Kept[][] = [[]];
  /** How many broadcasts were dropped: the first kept is number `dropped + 1`. */
  private dropped = 0;
  private trimmedAt = 0;
  /** Offsets are unique to this process: a client's offset from before a restart matches none. */
  private readonly prefix = `${randomBytes(4).toString('hex')}-`;
  private count = 0;

  constructor(nsp: {
    server: { opts: { connectionStateRecovery: { maxDisconnectionDuration: number } } };
  }) {
    super(nsp);
    this.windowMs = nsp.server.opts.connectionStateRecovery.maxDisconnectionDuration;
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const live = this.reachesAnyone(opts);
    // As socket.io's adapter: packets with an ack or sent volatile are not kept. Nor is one that
    // no socket receives and no session gone from its rooms could ask for: nobody ever will.
    if (
      packet.type === EVENT &&
      packet.id === undefined &&
      !opts.flags?.volatile &&
      (live || this.awaitedIn(opts.rooms))
    ) {
      const now = Date.now();
      // The client sees the offset as the event's last argument and sends it back to recover.
      const offset = `${this.prefix}${(++this.count).toString(36)}`;
      packet.data.push(offset);
      let last = this.kept[this.kept.length - 1];
      if (!last || last.length >= CHUNK) this.kept.push((last = []));
      last.push({
        offset,
        at: now,
        rooms: [...opts.rooms],
        except: [...(opts.except ?? [])],
        json: JSON.stringify(packet.data),
      });
      this.trimNowAndThen(now);
    }
    if (live) super.broadcast(packet, opts);
  }

  override persistSession(session: SessionToPersist): void {
    const now = Date.now();
    this.forget(session.pid);
    this.sessions.set(session.pid, { session, at: now });
    for (const room of session.rooms) this.awaiting.set(room, (this.awaiting.get(room) ?? 0) + 1);
    this.trimNowAndThen(now);
  }

  override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    const gone = this.sessions.get(pid);
    this.forget(pid);
    // socket.io takes null for "nothing to restore": the client then starts a new session.
    const none = Promise.resolve(null as unknown as Session);
    if (!gone || gone.at + this.windowMs < Date.now()) return none;
    // The last broadcast the client saw, by its number; one from before a restart has another
    // prefix, and one already dropped is too old.
    const seen = offset.startsWith(this.prefix)
      ? parseInt(offset.slice(this.prefix.length), 36) - 1 - this.dropped
      : -1;
    if (!(seen >= 0 && seen < this.count - this.dropped)) return none;
    const { rooms } = gone.session;
    const missedPackets: unknown[][] = [];
    for (let n = seen + 1; n < this.count - this.dropped; n++) {
      const k = this.kept[Math.floor(n / CHUNK)]?.[n % CHUNK];
      if (
        k &&
        (k.rooms.length === 0 || k.rooms.some((r) => rooms.includes(r))) &&
        !k.except.some((r) => rooms.includes(r))
      )
        missedPackets.push(JSON.parse(k.json) as unknown[]);
    }
    return Promise.resolve({ ...gone.session, missedPackets });
  }

  /** Whether a session gone from one of these rooms (any, for the whole namespace) may return. */
  private awaitedIn(rooms: Set<Room>): boolean {
    if (rooms.size === 0) return this.sessions.size > 0;
    for (const room of rooms) if (this.awaiting.has(room)) return true;
    return false;
  }

  private forget(pid: PrivateSessionId): void {
    const gone = this.sessions.get(pid);
    if (!gone) return;
    this.sessions.delete(pid);
    for (const room of gone.session.rooms) {
      const n = (this.awaiting.get(room) ?? 0) - 1;
      if (n > 0) this.awaiting.set(room, n);
      else this.awaiting.delete(room);
    }
  }

  /** Whether a socket connected here is in the broadcast's rooms and not in its exceptions. */
  private reachesAnyone({ rooms, except }: BroadcastOptions): boolean {
    if (rooms.size === 0) return true; // the whole namespace
    const excluded = (sid: string) => {
      for (const room of except ?? []) if (this.rooms.get(room)?.has(sid)) return true;
      return false;
    };
    for (const room of rooms) {
      for (const sid of this.rooms.get(room) ?? []) if (!excluded(sid)) return true;
    }
    return false;
  }

  /** Drops expired broadcasts and sessions, at most once a second. */
  private trimNowAndThen(now: number): void {
    if (now - this.trimmedAt < TRIM_EVERY_MS) return;
    this.trimmedAt = now;
    const threshold = now - this.windowMs;
    // A chunk goes when its newest broadcast has expired.
    while (this.kept.length > 1 && (this.kept[0]?.at(-1)?.at ?? now) < threshold)
      this.dropped += this.kept.shift()?.length ?? 0;
    for (const [pid, session] of this.sessions) if (session.at < threshold) this.forget(pid);
  }
}
