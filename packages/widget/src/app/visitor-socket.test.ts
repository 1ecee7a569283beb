import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VisitorSocket, type Transport } from './visitor-socket.js';

type Handler = (...args: any[]) => void;

/** Stands in for engine.io-client's socket: records what is sent, fires what the test says. */
class FakeEngine {
  readonly sent: string[] = [];
  closed = false;
  pingExpired = false;
  private handlers = new Map<string, Handler[]>();
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  send(data: string) {
    this.sent.push(data);
    return this;
  }
  close() {
    if (this.closed) return this;
    this.closed = true;
    this.fire('close', 'forced close');
    return this;
  }
  _hasPingExpired() {
    return this.pingExpired;
  }
  fire(event: string, ...args: unknown[]) {
    this.handlers.get(event)?.forEach((fn) => fn(...args));
  }
}

let engines: FakeEngine[];
let token: string;
const last = () => engines[engines.length - 1] as FakeEngine;
/** A packet from the server; listeners run a microtask later, as with socket.io-client. */
const receive = async (packet: string, engine = last()) => {
  engine.fire('message', packet);
  await Promise.resolve();
};
const message = { id: 'm1', content: 'Hello' };

function connect() {
  const socket = new VisitorSocket(
    '/visitor',
    () => ({ visitorToken: token }),
    () => {
      const engine = new FakeEngine();
      engines.push(engine);
      return engine as unknown as Transport;
    },
  );
  const events: string[] = [];
  socket.on('connect', () => events.push('connect'));
  socket.on('disconnect', (reason) => events.push(`disconnect:${reason}`));
  socket.on('connect_error', (e) => events.push(`error:${e.message}:${JSON.stringify(e.data)}`));
  socket.on('message.created', (m) => events.push(`message:${m.content}`));
  return { socket, events };
}

beforeEach(() => {
  vi.useFakeTimers();
  engines = [];
  token = 'token-1';
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the visitor's socket speaks Socket.IO (v5) over engine.io", () => {
  it('connects to its namespace with the auth of the moment, sends what waited, then says connect', async () => {
    const { socket, events } = connect();
    socket.emit('page.view', { url: 'https://shop.example/', title: 'Shop' });
    expect(engines).toHaveLength(1);
    last().fire('open');
    expect(last().sent).toEqual(['0/visitor,{"visitorToken":"token-1"}']);

    await receive('0/visitor,{"sid":"s1"}');
    expect(socket.connected).toBe(true);
    expect(last().sent[1]).toBe(
      '2/visitor,["page.view",{"url":"https://shop.example/","title":"Shop"}]',
    );
    expect(events).toEqual(['connect']);

    // Events of the namespace reach their listeners; other namespaces' do not.
    await receive(`2/visitor,["message.created",${JSON.stringify(message)}]`);
    await receive(`2/other,["message.created",${JSON.stringify(message)}]`);
    expect(events).toEqual(['connect', 'message:Hello']);
  });

  it('answers an emit with its ack, or with an error when none comes in time', async () => {
    const { socket } = connect();
    last().fire('open');
    await receive('0/visitor,{"sid":"s1"}');
    const answers: unknown[] = [];
    const payload = { conversations: { c1: 0 } };
    socket.timeout(1000).emit('sync', payload, (error, reply) => answers.push(error ?? reply));
    socket.timeout(1000).emit('sync', payload, (error, reply) => answers.push(error ?? reply));
    expect(last().sent.slice(-2)).toEqual([
      '2/visitor,0["sync",{"conversations":{"c1":0}}]',
      '2/visitor,1["sync",{"conversations":{"c1":0}}]',
    ]);
    await receive('3/visitor,0[{"ok":true,"data":{"messages":[],"incomplete":[]}}]');
    expect(answers).toEqual([{ ok: true, data: { messages: [], incomplete: [] } }]);

    vi.advanceTimersByTime(1000);
    expect(String(answers[1])).toBe('Error: operation has timed out');
    // An answer after the timeout is not delivered twice.
    await receive('3/visitor,1[{"ok":true,"data":null}]');
    expect(answers).toHaveLength(2);
  });

  it('a dropped connection fails what was sent, keeps what waits, and comes back with recovery', async () => {
    const { socket, events } = connect();
    const first = last();
    first.fire('open');
    await receive('0/visitor,{"sid":"s1","pid":"p1"}');
    await receive(`2/visitor,["message.created",${JSON.stringify(message)},"offset-7"]`);
    const answers: string[] = [];
    socket
      .timeout(10_000)
      .emit('typing.set', { conversationId: 'c1', isTyping: true, draft: 'a' }, (e) =>
        answers.push(`sent:${e?.message ?? 'ok'}`),
      );

    first.fire('close', 'transport close');
    expect(socket.connected).toBe(false);
    expect(events.slice(-1)).toEqual(['disconnect:transport close']);
    expect(answers).toEqual(['sent:socket has been disconnected']);
    socket
      .timeout(10_000)
      .emit('typing.set', { conversationId: 'c1', isTyping: false, draft: '' }, (e) =>
        answers.push(`buffered:${e?.message ?? 'ok'}`),
      );

    // Retried after a second or so, with the token of the moment and what to recover.
    token = 'token-2';
    vi.advanceTimersByTime(1500);
    expect(engines).toHaveLength(2);
    last().fire('open');
    expect(last().sent[0]).toBe(
      '0/visitor,{"pid":"p1","offset":"offset-7","visitorToken":"token-2"}',
    );
    await receive('0/visitor,{"sid":"s2","pid":"p1"}');
    expect(last().sent[1]).toBe(
      '2/visitor,1["typing.set",{"conversationId":"c1","isTyping":false,"draft":""}]',
    );
    await receive('3/visitor,1[{"ok":true,"data":null}]');
    expect(answers).toEqual(['sent:socket has been disconnected', 'buffered:ok']);
  });

  it('the server refusing the connection stops it until connect() is called again', async () => {
    const { socket, events } = connect();
    last().fire('open');
    await receive('4/visitor,{"message":"Unauthorized","data":{"code":"unauthorized"}}');
    expect(events).toEqual(['error:Unauthorized:{"code":"unauthorized"}']);
    expect(socket.active).toBe(false);
    expect(last().closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(engines).toHaveLength(1);

    token = 'token-2';
    socket.connect();
    expect(engines).toHaveLength(2);
    last().fire('open');
    expect(last().sent).toEqual(['0/visitor,{"visitorToken":"token-2"}']);
  });

  it('a connection that cannot open is said and retried, longer and longer, up to 5 s apart', async () => {
    const { events } = connect();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      last().fire('error', new Error('xhr poll error'));
      const before = engines.length;
      let waited = 0;
      while (engines.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(events.filter((e) => e.startsWith('error:xhr poll error'))).toHaveLength(5);
    expect(delays[0]).toBeLessThanOrEqual(1500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
    expect(delays[4]).toBeGreaterThanOrEqual(2500);
  });

  it("neither the server's disconnect nor the visitor's own is retried", async () => {
    const first = connect();
    last().fire('open');
    await receive('0/visitor,{"sid":"s1"}');
    await receive('1/visitor,');
    expect(first.events.slice(-1)).toEqual(['disconnect:io server disconnect']);
    expect(first.socket.active).toBe(false);

    const second = connect();
    last().fire('open');
    await receive('0/visitor,{"sid":"s2"}');
    second.socket.disconnect();
    expect(last().sent.slice(-1)).toEqual(['1/visitor,']);
    expect(second.events.slice(-1)).toEqual(['disconnect:io client disconnect']);
    vi.advanceTimersByTime(60_000);
    expect(engines).toHaveLength(2);
  });

  it('an emit while the heartbeat is overdue waits for the next connection', async () => {
    const { socket } = connect();
    last().fire('open');
    await receive('0/visitor,{"sid":"s1"}');
    last().pingExpired = true;
    socket.emit('page.view', { url: 'https://shop.example/a', title: 'A' });
    expect(last().sent).toHaveLength(1);
  });
});
