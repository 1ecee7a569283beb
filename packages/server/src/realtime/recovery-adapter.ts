import { randomBytes } from 'node:crypto';
import {
  Adapter,
  type BroadcastOptions,
  type PrivateSessionId,
  type Room,
  type Session,
} from 'socket.io-adapter';

type SessionToPersist = Omit<Session, 'missedPackets'>;
/** The fields of a socket.io packet this adapter reads. */
type Packet = { type: number; id?: number; data: unknown[] };
/** socket.io-parser's encoder: a packet as text, or as text and binary attachments. */
type Encoder = { encode(packet: Packet & { nsp: string }): unknown[] };

const EVENT = 2;
/** How often expired broadcasts and sessions are dropped. */
const TRIM_EVERY_MS = 1000;
/** Broadcasts are kept in chunks of this many, and dropped a whole chunk at a time. */
const CHUNK = 4096;

/** Bytes are taken from the system in pages of this size. */
const PAGE = 256 * 1024;
const NO_PAGE = Buffer.alloc(0);

/**
 * Strings written one after the other into pages of bytes, and read back by their number. A
 * string that does not fit in the page starts a new one: nothing written is ever copied.
 */
class Bytes {
  private readonly pages: Buffer[] = [];
  /** The page of each string, and where it ends in its page. */
  private readonly pageOf = new Uint16Array(CHUNK);
  private readonly ends = new Uint32Array(CHUNK);
  private count = 0;
  private page = NO_PAGE;
  private used = 0;

  push(text: string): void {
    // UTF-8 takes at most 3 bytes for each UTF-16 unit.
    const most = text.length * 3;
    if (this.used + most > this.page.length) {
      this.page = Buffer.allocUnsafe(Math.max(PAGE, most));
      this.pages.push(this.page);
      this.used = 0;
    }
    this.used += this.page.write(text, this.used);
    this.pageOf[this.count] = this.pages.length - 1;
    this.ends[this.count++] = this.used;
    // A full chunk is kept for the whole window: give back the rest of its last page.
    if (this.count === CHUNK)
      this.pages[this.pages.length - 1] = Buffer.from(this.page.subarray(0, this.used));
  }

  get(n: number): string {
    const page = this.pageOf[n]!;
    const start = n > 0 && this.pageOf[n - 1] === page ? this.ends[n - 1]! : 0;
    return this.pages[page]!.toString('utf8', start, this.ends[n]);
  }
}

/**
 * Up to CHUNK broadcasts, each as its audience (rooms, then exceptions) and its arguments as
 * JSON, in bytes outside the JavaScript heap: the garbage collector has nothing of them to copy
 * or to trace, however many the window holds.
 */
class Chunk {
  length = 0;
  /** When its newest broadcast was kept: the chunk expires with it. */
  newestAt = 0;
  private readonly audiences = new Bytes();
  private readonly packets = new Bytes();

  /** `json`: the broadcast's arguments, as JSON. */
  push(at: number, rooms: Set<Room>, except: Set<Room> | undefined, json: string): void {
    this.audiences.push(audienceOf(rooms, except));
    this.packets.push(json);
    this.length++;
    this.newestAt = at;
  }

  /** Whether broadcast `n` was for a socket in `rooms`. */
  reaches(n: number, rooms: Room[]): boolean {
    const [to = '', except = ''] = this.audiences.get(n).split('\t');
    return (
      (to === '' || to.split('\n').some((r) => rooms.includes(r))) &&
      (except === '' || !except.split('\n').some((r) => rooms.includes(r)))
    );
  }

  packet(n: number): unknown[] {
    return JSON.parse(this.packets.get(n)) as unknown[];
  }
}

/** Rooms, then exceptions. Room names hold neither tabs nor newlines: socket ids and `kind:id`. */
function audienceOf(rooms: Set<Room>, except: Set<Room> | undefined): string {
  let audience = '';
  for (const room of rooms) audience += audience === '' ? room : `\n${room}`;
  audience += '\t';
  let first = true;
  for (const room of except ?? []) {
    audience += first ? room : `\n${room}`;
    first = false;
  }
  return audience;
}

/**
 * Connection-state recovery on one instance (with Redis, the streams adapter does this), in
 * place of socket.io's own in-memory adapter, which keeps each broadcast's live objects (the
 * message, its rooms as Sets) for the whole window and then up to a minute more until its
 * cleanup timer runs. At thousands of messages a second, that kept graph is what the garbage
 * collector spent its time copying. Here a broadcast is kept as bytes for the window (and at
 * most one chunk more). One that reaches no connected socket is not encoded for the wire, and
 * is kept only if a session gone from its rooms may come back for it.
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
   * Restored sessions whose socket is still in its handshake, by socket id: their rooms, and
   * the number of the first broadcast their missed packets did not hold.
   */
  private readonly recovering = new Map<string, { rooms: Room[]; from: number }>();
  /**
   * Oldest first, in chunks: dropping the oldest never copies the hundreds of thousands kept.
   * Every chunk but the last is full, so broadcast number n (its offset) is found by arithmetic.
   */
  private readonly kept: Chunk[] = [new Chunk()];
  /** How many broadcasts were dropped: the first kept is number `dropped + 1`. */
  private dropped = 0;
  private trimmedAt = 0;
  /** Offsets are unique to this process: a client's offset from before a restart matches none. */
  private readonly prefix = `${randomBytes(4).toString('hex')}-`;
  private count = 0;

  /** What the namespace's encoder made of the last packet this adapter encoded. */
  private encoded: unknown[] | undefined;

  constructor(nsp: {
    name: string;
    server: {
      encoder: Encoder;
      opts: { connectionStateRecovery: { maxDisconnectionDuration: number } };
    };
  }) {
    super(nsp);
    this.windowMs = nsp.server.opts.connectionStateRecovery.maxDisconnectionDuration;
    // socket.io-adapter encodes a broadcast once for all its sockets; the encoder is seen here
    // so that the same text is kept, instead of encoding the packet a second time.
    const { encoder } = nsp.server;
    (this as unknown as { encoder: Encoder }).encoder = {
      encode: (packet) => (this.encoded = encoder.encode(packet)),
    };
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const live = this.reachesAnyone(opts);
    // As socket.io's adapter: packets with an ack or sent volatile are not kept. Nor is one that
    // no socket receives and no session gone from its rooms could ask for: nobody ever will.
    const kept =
      packet.type === EVENT &&
      packet.id === undefined &&
      !opts.flags?.volatile &&
      (live || this.awaitedIn(opts.rooms));
    // The client sees the offset as the event's last argument and sends it back to recover.
    if (kept) packet.data.push(`${this.prefix}${(++this.count).toString(36)}`);
    this.encoded = undefined;
    if (live) super.broadcast(packet, opts);
    if (!kept) return;
    const now = Date.now();
    let last = this.kept[this.kept.length - 1];
    if (!last || last.length >= CHUNK) this.kept.push((last = new Chunk()));
    last.push(now, opts.rooms, opts.except, this.argumentsOf(packet));
    this.trimNowAndThen(now);
  }

  /**
   * A packet's arguments as JSON: in the text it was sent as (an event is `2`, the namespace
   * and a comma, then its arguments), or encoded here when it was sent to no one.
   */
  private argumentsOf(packet: Packet): string {
    const [text] = this.encoded ?? [];
    if (this.encoded?.length === 1 && typeof text === 'string') {
      const at = this.nsp.name === '/' ? 1 : this.nsp.name.length + 2;
      if (text[at] === '[') return text.slice(at);
    }
    return JSON.stringify(packet.data);
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
    const missedPackets = this.keptFor(rooms, seen + 1 + this.dropped);
    this.recovering.set(gone.session.sid, { rooms, from: this.count });
    return Promise.resolve({ ...gone.session, missedPackets });
  }

  /**
   * socket.io puts a restored socket back in its rooms and sends it what it missed at once, but
   * adds it to the namespace's sockets (the only ones a broadcast is written to) when the
   * handshake's middlewares have passed, which takes a database query: what is broadcast in
   * between would reach it neither way. It is sent here, when the socket joins its own room on
   * connecting, after what it missed and before the connection's CONNECT packet, as socket.io
   * sends the missed ones.
   */
  override addAll(id: string, rooms: Set<Room>): void {
    super.addAll(id, rooms);
    const recovering = this.recovering.get(id);
    const sockets: Map<string, unknown> = this.nsp.sockets;
    if (!recovering || !sockets.has(id)) return;
    this.recovering.delete(id);
    const only = { rooms: new Set([id]), except: new Set<Room>() };
    for (const data of this.keptFor(recovering.rooms, recovering.from))
      super.broadcast({ type: EVENT, data }, only);
  }

  override delAll(id: string): void {
    this.recovering.delete(id); // its handshake failed, or it left
    super.delAll(id);
  }

  /** The kept broadcasts for a socket in `rooms`, from broadcast number `from` (0 the first). */
  private keptFor(rooms: Room[], from: number): unknown[][] {
    const packets: unknown[][] = [];
    for (let n = Math.max(from - this.dropped, 0); n < this.count - this.dropped; n++) {
      const chunk = this.kept[Math.floor(n / CHUNK)];
      if (chunk?.reaches(n % CHUNK, rooms)) packets.push(chunk.packet(n % CHUNK));
    }
    return packets;
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
    while (this.kept.length > 1 && (this.kept[0]?.newestAt ?? now) < threshold)
      this.dropped += this.kept.shift()?.length ?? 0;
    for (const [pid, session] of this.sessions) if (session.at < threshold) this.forget(pid);
  }
}
