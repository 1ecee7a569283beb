import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { Chat, type VisitorSocket } from './chat.js';

type Handler = (...args: any[]) => void;

/** Stands in for socket.io: records emits, answers commands the way each test says. */
class FakeSocket {
  connected = false;
  readonly sent: Array<{ event: string; payload: any }> = [];
  private handlers = new Map<string, Handler[]>();
  constructor(private answer: (event: string, payload: any) => unknown | 'no-answer') {}
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
  content: `message ${seq}`,
  type: 'text',
  readAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const settle = () => new Promise((r) => setTimeout(r, 10));
const make = (socket: FakeSocket) =>
  new Chat(socket as unknown as VisitorSocket, () => 'token', conversation, true);

describe('the widget chat', () => {
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

  it('syncs from the last seq pushed on every reconnect', async () => {
    const socket = new FakeSocket((event) =>
      event === 'sync' ? { ok: true, data: { messages: [], incomplete: [] } } : null,
    );
    make(socket);
    socket.connect();
    await settle();
    socket.fire('message.created', message(5));
    socket.fire('disconnect');
    socket.connect();
    await settle();
    const syncs = socket.sent.filter((s) => s.event === 'sync').map((s) => s.payload);
    expect(syncs).toEqual([
      { conversations: { [conversation.id]: 0 } },
      { conversations: { [conversation.id]: 5 } },
    ]);
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
});
