import type {
  AckReply,
  Attachment,
  Message,
  ProofOfWork,
  ProofRequiredDetails,
  TypingChanged,
  VisitorConversation,
} from '@parley/protocol';
import { fetchMessagesAfter } from './api.js';
import { loadOutbox, newClientId, saveOutbox, type OutboxItem } from './outbox.js';
import { proofPart } from './proof-part.js';
import type { VisitorSocket } from './visitor-socket.js';

export type { VisitorSocket };

export type ChatState = {
  conversation: VisitorConversation | null;
  /** The current conversation's messages, in seq order, each once. */
  messages: Message[];
  /** Typed but not acknowledged, in the order typed: shown as "sending". */
  outbox: OutboxItem[];
  /** Refused by the server for good (too long, say): shown as "not sent". */
  failed: OutboxItem[];
  /** The name of the agent typing in the current conversation, if one is. */
  agentTyping: string | null;
  agentsOnline: boolean;
  connected: boolean;
  /** The connection was up and dropped; the socket is trying to get it back. */
  reconnecting: boolean;
  /** An agent banned this visitor (or their address): nothing can be sent, nothing is retried. */
  banned: boolean;
};

const ACK_TIMEOUT_MS = 10_000;
/** An agent's typing fact that is not renewed is stale after this (their tab may have closed). */
const TYPING_STALE_MS = 8_000;
/** Errors a resend cannot fix: the item is given up and shown as not sent. */
const FINAL_ERRORS = new Set(['validation_failed', 'forbidden', 'not_found', 'payload_too_large']);

type Reply<T> =
  { ok: true; data: T } | { ok: false; code: string; lost: boolean; details?: unknown };

/**
 * The visitor's side of delivery (docs/architecture.md "The path of a message"): messages are
 * kept by conversation and seq, so a message that arrives twice (ack, broadcast, sync) is shown
 * once; typed messages wait in an outbox in storage until acknowledged; every (re)connect syncs
 * from the last seq seen, and so does a gap in seqs or the server's `sync.required`, on a
 * connection that stayed up.
 */
export class Chat {
  state: ChatState;
  private readonly bySeq = new Map<string, Map<number, Message>>();
  /**
   * Per conversation, the seq up to which this visitor has every message it may see: what sync
   * returned (notes it may not see leave holes only sync can vouch for), then whatever follows
   * without a hole. A message past it arrived over a gap.
   */
  private readonly cursor = new Map<string, number>();
  private syncing: Promise<boolean> | undefined;
  private queuedSync: Promise<boolean> | undefined;
  private gapRecheck = false;
  private readonly subscribers = new Set<() => void>();
  private readonly newMessage = new Set<(m: Message) => void>();
  private flushing = false;
  /** Proofs of work solved for messages that start a conversation while the team is away. */
  private readonly proofs = new Map<string, ProofOfWork>();
  private readonly proofTries = new Map<string, number>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly socket: VisitorSocket,
    private readonly token: () => string,
    conversation: VisitorConversation | null,
    agentsOnline: boolean,
    banned = false,
  ) {
    this.state = {
      conversation,
      messages: [],
      outbox: loadOutbox(),
      failed: [],
      agentTyping: null,
      agentsOnline,
      connected: false,
      reconnecting: false,
      banned,
    };
    socket.on('connect', () => {
      this.set({ connected: true, reconnecting: false });
      void this.resync().then(() => this.flush());
    });
    socket.on('disconnect', () =>
      this.set({ connected: false, reconnecting: !this.state.banned, agentTyping: null }),
    );
    // Banned while chatting (the server says so, then disconnects), or found banned on a
    // reconnect: the socket stops for good.
    socket.on('visitor.banned', () => this.ban());
    socket.on('connect_error', (e) => {
      if (typeof e.data === 'object' && e.data && Reflect.get(e.data, 'code') === 'banned')
        this.ban();
    });
    socket.on('message.created', (m) => {
      this.receive([m], true);
      this.onGap(m.conversationId);
    });
    socket.on('sync.required', () => void this.resync());
    socket.on('conversation.updated', (c) => this.onConversation(c));
    socket.on('availability.changed', ({ agentsOnline: online }) =>
      this.set({ agentsOnline: online }),
    );
    socket.on('typing.changed', (t) => this.onTyping(t));
  }

  private ban(): void {
    this.socket.disconnect();
    this.set({ banned: true, connected: false, reconnecting: false, agentTyping: null });
  }

  subscribe(fn: () => void): () => void {
    this.subscribers.add(fn);
    return () => void this.subscribers.delete(fn);
  }

  /** Called for each message that arrives live (not history), once. */
  onNewMessage(fn: (m: Message) => void): () => void {
    this.newMessage.add(fn);
    return () => void this.newMessage.delete(fn);
  }

  /**
   * Queues a message (text, uploaded files or both) and sends it as soon as it can. `teamId`:
   * the department chosen on the form, for a message that starts a conversation.
   */
  send(content: string, files?: Attachment[], teamId?: string): void {
    const { conversation } = this.state;
    const item: OutboxItem = {
      clientId: newClientId(),
      conversationId: conversation && conversation.status !== 'closed' ? conversation.id : null,
      content,
      ...(files?.length ? { files } : {}),
      ...(teamId ? { teamId } : {}),
      createdAt: new Date().toISOString(),
    };
    this.setOutbox([...this.state.outbox, item]);
    void this.flush();
  }

  /** After a closed chat: the next message starts a new conversation. */
  startOver(): void {
    this.set({ conversation: null, messages: [], failed: [], agentTyping: null });
  }

  setConversation(conversation: VisitorConversation): void {
    this.onConversation(conversation);
  }

  /** Sends `page.view`; pages before the socket connects are sent by socket.io's buffer. */
  pageView(url: string, title: string): void {
    if (!/^https?:/.test(url)) return;
    this.socket.emit('page.view', { url, title });
  }

  /** The visitor's typing and draft, for the agents' sneak peek. */
  typing(isTyping: boolean, draft: string): void {
    const id = this.state.conversation?.id;
    if (!id || this.state.conversation?.status === 'closed' || !this.socket.connected) return;
    this.socket.emit('typing.set', { conversationId: id, isTyping, draft: isTyping ? draft : '' });
  }

  async rate(rating: 'up' | 'down', comment: string): Promise<boolean> {
    const id = this.state.conversation?.id;
    if (!id) return false;
    const payload = { conversationId: id, rating, ...(comment ? { comment } : {}) };
    const reply = await this.call<{ conversation: VisitorConversation }>((ack) =>
      this.socket.timeout(ACK_TIMEOUT_MS).emit('conversation.rate', payload, ack),
    );
    if (reply.ok) this.onConversation(reply.data.conversation);
    return reply.ok;
  }

  private set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    this.subscribers.forEach((fn) => fn());
  }

  private setOutbox(outbox: OutboxItem[]) {
    saveOutbox(outbox);
    this.set({ outbox });
  }

  private onConversation(c: VisitorConversation) {
    const current = this.state.conversation;
    // A newer conversation (one an agent started, say) replaces a closed or missing one.
    if (current && current.id !== c.id && current.status !== 'closed') return;
    const switched = current?.id !== c.id;
    this.set({ conversation: c, ...(switched ? { messages: this.messagesOf(c.id) } : {}) });
    if (switched && this.socket.connected) void this.resync();
  }

  private onTyping(t: TypingChanged) {
    if (t.sender !== 'agent' || t.conversationId !== this.state.conversation?.id) return;
    clearTimeout(this.typingTimer);
    if (t.isTyping)
      this.typingTimer = setTimeout(() => this.set({ agentTyping: null }), TYPING_STALE_MS);
    this.set({ agentTyping: t.isTyping ? (t.name ?? 'Agent') : null });
  }

  private messagesOf(conversationId: string): Message[] {
    const seqs = this.bySeq.get(conversationId);
    return seqs ? [...seqs.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  /**
   * Merges messages, each kept once by (conversation, seq). `synced` marks a sync's reply, which
   * vouches for every seq up to its last; anything else (broadcast, ack) moves the cursor only
   * over seqs without a hole: an ack can overtake a broadcast of a lower seq still on its way,
   * and a broadcast lost on the way must not be skipped.
   */
  private receive(messages: Message[], live: boolean, synced = false) {
    const added: Message[] = [];
    for (const m of messages) {
      let seqs = this.bySeq.get(m.conversationId);
      if (!seqs) this.bySeq.set(m.conversationId, (seqs = new Map()));
      let cursor = this.cursor.get(m.conversationId) ?? 0;
      if (synced && m.seq > cursor) cursor = m.seq;
      if (!seqs.has(m.seq)) {
        seqs.set(m.seq, m);
        added.push(m);
      }
      while (seqs.has(cursor + 1)) cursor++;
      this.cursor.set(m.conversationId, cursor);
    }
    if (!added.length) return;
    const current = this.state.conversation;
    const mine = new Set(added.map((m) => m.clientId));
    const outbox = this.state.outbox.filter((i) => !mine.has(i.clientId));
    if (outbox.length !== this.state.outbox.length) saveOutbox(outbox);
    const agentSpoke = added.some((m) => m.sender === 'agent' && m.conversationId === current?.id);
    this.set({
      outbox,
      ...(current ? { messages: this.messagesOf(current.id) } : {}),
      ...(agentSpoke ? { agentTyping: null } : {}),
    });
    if (live) added.forEach((m) => this.newMessage.forEach((fn) => fn(m)));
  }

  /**
   * A broadcast over a gap in seqs: broadcasts were lost on their way here (Redis blinked between
   * instances, say) on a connection that stayed up, so no reconnect will sync. Sync at once; a
   * gap seen while a sync runs is looked at again after it, which may have fetched it already.
   */
  private onGap(conversationId: string): void {
    if (conversationId !== this.state.conversation?.id || !this.socket.connected) return;
    const seqs = this.bySeq.get(conversationId) ?? new Map<number, Message>();
    const cursor = this.cursor.get(conversationId) ?? 0;
    if (![...seqs.keys()].some((seq) => seq > cursor)) return;
    if (!this.syncing) {
      void this.resync();
      return;
    }
    if (this.gapRecheck) return;
    this.gapRecheck = true;
    void this.syncing.then((ok) => {
      this.gapRecheck = false;
      if (ok) this.onGap(conversationId);
    });
  }

  /**
   * Syncs the current conversation, one sync at a time: one asked for while another runs starts
   * after it (what that one fetched may predate the need), and all asked for meanwhile share it.
   */
  private resync(): Promise<boolean> {
    if (!this.syncing) {
      this.syncing = this.syncOnce().finally(() => (this.syncing = undefined));
      return this.syncing;
    }
    this.queuedSync ??= this.syncing.then(() => {
      this.queuedSync = undefined;
      return this.resync();
    });
    return this.queuedSync;
  }

  /** Asks for everything past the cursor of the current conversation, paging if needed. */
  private async syncOnce(): Promise<boolean> {
    const id = this.state.conversation?.id;
    if (!id) return true;
    const since = this.cursor.get(id) ?? 0;
    const live = since > 0; // on first load it is history, not news
    const reply = await this.call<{ messages: Message[]; incomplete: string[] }>((ack) =>
      this.socket.timeout(ACK_TIMEOUT_MS).emit('sync', { conversations: { [id]: since } }, ack),
    );
    if (!reply.ok) return false;
    this.receive(reply.data.messages, live, true);
    if (!reply.data.incomplete.includes(id)) return true;
    // More missed than one sync returns: the rest comes over REST, 200 at a time.
    for (;;) {
      const page = await fetchMessagesAfter(this.token(), id, this.cursor.get(id) ?? 0).catch(
        () => null,
      );
      if (!page) return false;
      this.receive(page, live, true);
      if (page.length < 200) return true;
    }
  }

  /** Sends the outbox in order, one at a time; stops at the first send that gets no answer. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.socket.connected) {
        const item = this.state.outbox[0];
        if (!item || !(await this.deliver(item))) return;
      }
    } finally {
      this.flushing = false;
    }
  }

  /** True when the item is done with (delivered or given up), false to retry later. */
  private async deliver(item: OutboxItem): Promise<boolean> {
    const conversationId = item.conversationId ?? this.openConversationId();
    const { content, clientId } = item;
    const sent = item.files?.length
      ? { content, clientId, attachmentIds: item.files.map((f) => f.id) }
      : { content, clientId };
    const reply: Reply<{ message: Message; conversation?: VisitorConversation }> = conversationId
      ? await this.call<{ message: Message }>((ack) =>
          this.socket
            .timeout(ACK_TIMEOUT_MS)
            .emit('message.send', { conversationId, ...sent }, ack),
        )
      : await this.call<{ message: Message; conversation: VisitorConversation }>((ack) =>
          this.socket.timeout(ACK_TIMEOUT_MS).emit(
            'conversation.start',
            {
              ...sent,
              ...(item.teamId && { teamId: item.teamId }),
              ...(this.proofs.has(clientId) && { proof: this.proofs.get(clientId) }),
            },
            ack,
          ),
        );
    if (reply.ok) {
      if (reply.data.conversation) this.onConversation(reply.data.conversation);
      this.receive([reply.data.message], false);
      this.setOutbox(this.state.outbox.filter((i) => i.clientId !== item.clientId));
      return true;
    }
    if (reply.lost) return false;
    if (reply.code === 'proof_required' && !conversationId && (await this.solve(item, reply))) {
      return this.deliver(item);
    }
    if (reply.code === 'conflict') {
      // The conversation closed meanwhile: the message opens a new one instead.
      this.setOutbox(
        this.state.outbox.map((i) => (i === item ? { ...i, conversationId: null } : i)),
      );
      this.startOver();
      return true;
    }
    if (!FINAL_ERRORS.has(reply.code)) {
      setTimeout(() => void this.flush(), 3000); // rate limited or a passing server error
      return false;
    }
    this.setOutbox(this.state.outbox.filter((i) => i.clientId !== item.clientId));
    this.set({ failed: [...this.state.failed, item] });
    return true;
  }

  /**
   * The team is away and this message starts a conversation (the offline form): the server asks
   * a proof of work, solved here (in a chunk fetched now) and sent with the same start again.
   * A proof asked again for the same message (it expired meanwhile) is solved once more, at most
   * three times.
   */
  private async solve(item: OutboxItem, reply: { details?: unknown }): Promise<boolean> {
    const tries = (this.proofTries.get(item.clientId) ?? 0) + 1;
    this.proofTries.set(item.clientId, tries);
    const challenge = (reply.details as Partial<ProofRequiredDetails> | undefined)?.challenge;
    if (!challenge || tries > 3) return false;
    const { solveProof } = await proofPart.load();
    const proof = await solveProof(challenge);
    if (!proof) return false;
    this.proofs.set(item.clientId, proof);
    return true;
  }

  private openConversationId(): string | null {
    const c = this.state.conversation;
    return c && c.status !== 'closed' ? c.id : null;
  }

  /** An ack as a value: `lost` when no answer came (timeout or disconnect), so it is resent. */
  private call<T>(
    emit: (ack: (err: Error | null, reply: AckReply<T>) => void) => void,
  ): Promise<Reply<T>> {
    return new Promise((resolve) => {
      emit((err, reply) => {
        if (err) resolve({ ok: false, code: 'timeout', lost: true });
        else if (reply.ok) resolve({ ok: true, data: reply.data });
        else
          resolve({ ok: false, code: reply.error.code, lost: false, details: reply.error.details });
      });
    });
  }
}
