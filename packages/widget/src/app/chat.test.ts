import { MAX_ATTACHMENTS, type Attachment, type Message } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { Chat, type VisitorSocket } from './chat.js';
import { keepInSiteStorage } from './storage.js';
import { MAX_FILES } from './use-uploads.js';

type Handler = (...args: any[]) => void;

/** Stands in for socket.io: records emits, answers commands the way each test says. */
class FakeSocket {
  connected = false;
  readonly sent: Array<{ event: string; payload: any }> = [];
  private handlers = new Map<string, Handler[]>();
  constructor(public answer: (event: string, payload: any) => unknown | 'no-answer') {}
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, payload: any) {
    this.sent.push({ event, payload });
  }
  timeout() {
    return {
      emit: (event: string, payload: any, ack: Handler) => {
        this.sent.push({ event, payload });
        const reply = this.answer(event, payload);
        if (reply === 'no-answer') setTimeout(() => ack(new Error('timeout')), 0);
        else setTimeout(() => ack(null, reply), 0);
      },
    };
  }
  fire(event: string, ...args: unknown[]) {
    this.handlers.get(event)?.forEach((fn) => fn(...args));
  }
  connect() {
    this.connected = true;
    this.fire('connect');
  }
  disconnect() {
    this.connected = false;
    this.stopped = true;
  }
  stopped = false;
}

const conversation = {
  id: '00000000-0000-4000-8000-000000000001',
  status: 'open' as const,
  assignee: null,
  rating: null,
  lastSeq: 0,
  closedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

let nextId = 1;
const message = (seq: number, over: Partial<Message> = {}): Message => ({
  id: `00000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`,
  conversationId: conversation.id,
  seq,
  clientId: null,
  sender: 'agent',
  senderId: null,
  senderName: 'Alice',
  fromBot: false,
  content: `message ${seq}`,
  type: 'text',
  attachments: [],
  readAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

/**
 * Lets the fake socket's answers (each a timer) and what they set going run: ten turns of the
 * timers, each after the last. One 10 ms wait was not enough on a loaded machine: a stalled
 * loop fires every expired timer at once, the wait's among them, before the next answer's.
 */
const settle = async () => {
  for (let turn = 0; turn < 10; turn++) await new Promise((r) => setTimeout(r, 1));
};
/** Answers `sync` as the server does, from what it has stored: every message past the seq. */
const storing =
  (stored: Message[]) =>
  (event: string, payload: any): unknown =>
    event === 'sync'
      ? {
          ok: true,
          data: {
            messages: stored.filter((m) => m.seq > payload.conversations[conversation.id]),
            incomplete: [],
          },
        }
      : null;
const syncsOf = (socket: FakeSocket) =>
  socket.sent
    .filter((s) => s.event === 'sync')
    .map((s) => s.payload.conversations[conversation.id]);
const make = (socket: FakeSocket) =>
  new Chat(socket as unknown as VisitorSocket, () => 'token', conversation, true);

describe('the widget chat', () => {
  it('once banned (told live, or refused on a reconnect), stops its socket and says so', () => {
    for (const ban of [
      (s: FakeSocket) => s.fire('visitor.banned'),
      (s: FakeSocket) =>
        s.fire('connect_error', Object.assign(new Error('x'), { data: { code: 'banned' } })),
    ]) {
      const socket = new FakeSocket(() => ({ ok: true, data: { messages: [], incomplete: [] } }));
      const chat = make(socket);
      socket.connect();
      ban(socket);
      socket.fire('disconnect', 'io server disconnect');
      expect(socket.stopped).toBe(true);
      expect(chat.state).toMatchObject({ banned: true, connected: false, reconnecting: false });
    }
    const socket = new FakeSocket(() => ({ ok: true, data: { messages: [], incomplete: [] } }));
    const chat = make(socket);
    socket.fire('connect_error', Object.assign(new Error('x'), { data: { code: 'unauthorized' } }));
    expect(chat.state.banned).toBe(false);
    expect(socket.stopped).toBe(false);
  });

  it('shows a message once whether it came by broadcast, sync or both', async () => {
    const m1 = message(1);
    const m2 = message(2);
    const socket = new FakeSocket((event) =>
      event === 'sync' ? { ok: true, data: { messages: [m1, m2], incomplete: [] } } : null,
    );
    const chat = make(socket);
    socket.connect();
    socket.fire('message.created', m2);
    await settle();
    socket.fire('message.created', m1);
    expect(chat.state.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('syncs from the last seq seen on every reconnect', async () => {
    const stored = [1, 2, 3, 4].map((seq) => message(seq));
    const socket = new FakeSocket(storing(stored));
    make(socket);
    socket.connect();
    await settle();
    socket.fire('message.created', message(5));
    socket.fire('disconnect');
    socket.connect();
    await settle();
    expect(syncsOf(socket)).toEqual([0, 5]);
  });

  it('syncs at once when a broadcast skips a seq, once for the whole gap', async () => {
    const stored = [1, 2, 3, 4, 5].map((seq) => message(seq));
    const socket = new FakeSocket(storing(stored.slice(0, 1)));
    const chat = make(socket);
    socket.connect();
    await settle();
    // 2 and 3 were lost on the way (the connection stayed up): 4 and 5 reveal it.
    socket.answer = storing(stored);
    socket.fire('message.created', stored[3]);
    socket.fire('message.created', stored[4]);
    await settle();
    expect(syncsOf(socket)).toEqual([0, 1]);
    expect(chat.state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    // Caught up: the next broadcast follows on and needs no sync.
    socket.fire('message.created', message(6));
    await settle();
    expect(syncsOf(socket)).toEqual([0, 1]);
  });

  it('looks at a gap again after the sync that was running when it showed', async () => {
    const stored = [1, 2, 3].map((seq) => message(seq));
    // The first sync answers from before 2 and 3 were stored.
    let answered = 0;
    const socket = new FakeSocket((event, payload) =>
      storing(answered++ === 0 ? stored.slice(0, 1) : stored)(event, payload),
    );
    const chat = make(socket);
    socket.connect();
    socket.fire('message.created', stored[2]);
    await settle();
    expect(syncsOf(socket)).toEqual([0, 1]);
    expect(chat.state.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('syncs once for a note it may not see, not for every message after it', async () => {
    const stored = [message(1)];
    const socket = new FakeSocket(storing(stored));
    make(socket);
    socket.connect();
    await settle();
    // Seq 2 is an agents' note: 3 looks like a gap until sync, which skips notes, passes it.
    const m3 = message(3);
    stored.push(m3);
    socket.fire('message.created', m3);
    await settle();
    socket.fire('message.created', message(4));
    await settle();
    expect(syncsOf(socket)).toEqual([0, 1]);
  });

  it('syncs when the server says broadcasts may have been lost', async () => {
    const stored = [1, 2, 3].map((seq) => message(seq));
    const socket = new FakeSocket(storing(stored.slice(0, 1)));
    const chat = make(socket);
    socket.connect();
    await settle();
    // The last two were lost in a Redis blink, and nothing followed them.
    socket.answer = storing(stored);
    socket.fire('sync.required');
    await settle();
    expect(syncsOf(socket)).toEqual([0, 1]);
    expect(chat.state.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('keeps typed messages until acknowledged and resends a lost one with the same clientId', async () => {
    let answered = false;
    const socket = new FakeSocket((event, payload) => {
      if (event === 'sync') return { ok: true, data: { messages: [], incomplete: [] } };
      if (!answered) return 'no-answer'; // the first send's ack is lost
      return {
        ok: true,
        data: {
          message: message(1, {
            sender: 'visitor',
            clientId: payload.clientId,
            content: payload.content,
          }),
        },
      };
    });
    const chat = make(socket);
    chat.send('hello');
    expect(chat.state.outbox.map((i) => i.content)).toEqual(['hello']);
    expect(socket.sent).toEqual([]); // offline: nothing goes out

    socket.connect();
    await settle();
    expect(chat.state.outbox).toHaveLength(1);
    answered = true;
    socket.fire('disconnect');
    socket.connect();
    await settle();

    const sends = socket.sent.filter((s) => s.event === 'message.send').map((s) => s.payload);
    expect(sends).toHaveLength(2);
    expect(sends[0].clientId).toBe(sends[1].clientId);
    expect(chat.state.outbox).toEqual([]);
    expect(chat.state.messages.map((m) => m.content)).toEqual(['hello']);
  });

  it('gives up on a message the server refuses for good, and says so', async () => {
    const socket = new FakeSocket((event) =>
      event === 'sync'
        ? { ok: true, data: { messages: [], incomplete: [] } }
        : { ok: false, error: { code: 'validation_failed', message: 'Too long' } },
    );
    const chat = make(socket);
    socket.connect();
    chat.send('x'.repeat(6000));
    await settle();
    expect(chat.state.outbox).toEqual([]);
    expect(chat.state.failed).toHaveLength(1);
  });

  it('solves the proof of work a start asks while the team is away, and sends it again with it', async () => {
    const { createChallenge, verifySolution } = await import('altcha-lib');
    const { deriveKey } = await import('altcha-lib/algorithms/pbkdf2');
    const secrets = { hmacSignatureSecret: 'test', hmacKeySignatureSecret: 'test-keys' };
    const challenge = await createChallenge({
      algorithm: 'PBKDF2/SHA-256',
      cost: 1,
      counter: 40,
      deriveKey,
      expiresAt: new Date(Date.now() + 60_000),
      ...secrets,
    });
    const socket = new FakeSocket((event, payload) => {
      if (event === 'sync') return { ok: true, data: { messages: [], incomplete: [] } };
      if (!payload.proof) {
        return {
          ok: false,
          error: { code: 'proof_required', message: 'Solve', details: { challenge } },
        };
      }
      return { ok: true, data: { conversation, message: message(1, { sender: 'visitor' }) } };
    });
    const chat = new Chat(socket as unknown as VisitorSocket, () => 'token', null, false);
    socket.connect();
    chat.send('Please call me back');
    await vi.waitFor(() => expect(chat.state.outbox).toEqual([]), { timeout: 10_000 });
    const starts = socket.sent.filter((s) => s.event === 'conversation.start');
    expect(starts).toHaveLength(2);
    const [first, second] = starts;
    if (!first || !second) throw new Error('two starts expected');
    expect(first.payload.proof).toBeUndefined();
    const { proof } = second.payload;
    expect(second.payload.clientId).toBe(first.payload.clientId);
    expect(
      (
        await verifySolution({
          challenge: proof.challenge,
          solution: proof.solution,
          deriveKey,
          ...secrets,
        })
      ).verified,
    ).toBe(true);
    expect(chat.state.failed).toEqual([]);
  });

  it('sends a message of files with their ids, the same on a resend and after a reload', async () => {
    const stored: Record<string, string> = {};
    keepInSiteStorage({}, (key, value) => {
      if (value === null) delete stored[key];
      else stored[key] = value;
    });
    const file: Attachment = {
      id: '00000000-0000-4000-8000-0000000000f1',
      name: 'screenshot.png',
      contentType: 'image/png',
      size: 1234,
      width: 10,
      height: 10,
    };
    // The first page sends, gets no answer, and is reloaded with the message still unsent.
    const lost = new FakeSocket((event) =>
      event === 'sync' ? { ok: true, data: { messages: [], incomplete: [] } } : 'no-answer',
    );
    make(lost).send('', [file]);
    lost.connect();
    await settle();
    expect(JSON.parse(stored.outbox ?? '[]')).toMatchObject([{ content: '', files: [file] }]);

    keepInSiteStorage({ ...stored }, () => {});
    const socket = new FakeSocket((event, payload) =>
      event === 'sync'
        ? { ok: true, data: { messages: [], incomplete: [] } }
        : {
            ok: true,
            data: {
              message: message(1, {
                sender: 'visitor',
                clientId: payload.clientId,
                content: '',
                attachments: [file],
              }),
            },
          },
    );
    const chat = make(socket);
    expect(chat.state.outbox[0]?.files).toEqual([file]);
    socket.connect();
    await settle();

    const first = lost.sent.find((s) => s.event === 'message.send')?.payload;
    const again = socket.sent.find((s) => s.event === 'message.send')?.payload;
    expect(first).toMatchObject({ content: '', attachmentIds: [file.id] });
    expect(again).toEqual(first);
    expect(chat.state.outbox).toEqual([]);
    expect(chat.state.messages[0]?.attachments).toEqual([file]);
  });

  it('limits files per message as the server does', () => {
    expect(MAX_FILES).toBe(MAX_ATTACHMENTS);
  });
});
