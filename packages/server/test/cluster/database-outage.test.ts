import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, freePort } from '../../../../tools/local.mjs';
import { buildServer, dropDatabase, query, startInstance, type Instance } from './processes.js';
import { startWithProof } from '../pow.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const dbName = `parley_outage_${process.pid}`;
let dbUrl: string;
let instance: Instance;
let proxy: DatabaseProxy;

/**
 * A TCP relay between Parley and the real PostgreSQL: cutting it is what a database restart
 * or a network failure looks like from Parley (connections dropped, new ones refused).
 */
class DatabaseProxy {
  private server: Server | undefined;
  private readonly open = new Set<NetSocket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.open) s.destroy();
    await closed;
  }
}

beforeAll(async () => {
  buildServer();
  dbUrl = await createDatabase(adminUrl, dbName);
  const target = new URL(dbUrl);
  proxy = new DatabaseProxy(await freePort(), {
    host: target.hostname,
    port: Number(target.port || 5432),
  });
  await proxy.start();
  const viaProxy = new URL(dbUrl);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  instance = await startInstance({
    DATABASE_URL: viaProxy.toString(),
    JWT_SECRET: 'outage-secret-outage-secret-outage-secret',
  });
});

afterAll(async () => {
  instance?.process.kill('SIGKILL');
  await proxy?.cut().catch(() => {});
  await dropDatabase(adminUrl, dbName);
});

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${instance.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('while the database cannot be reached', () => {
  it('sends are answered `unavailable` (503 over REST), and the same resend succeeds once it is back', async () => {
    const session = await post('/api/visitors/session', {});
    const visitorToken: string = session.body.visitorToken;
    const socket: Socket = io(`${instance.url}/visitor`, {
      auth: { visitorToken },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    const started = await startWithProof(socket, { content: 'Hello', clientId: randomUUID() });
    if (!started.ok) throw new Error(`start failed: ${started.error.code}`);
    const conversationId: string = started.data.conversation.id;

    await proxy.cut();
    const message = { conversationId, content: 'Are you there?', clientId: randomUUID() };
    const overSocket = await socket.timeout(10_000).emitWithAck('message.send', message);
    expect(overSocket).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.any(String) },
    });
    const overRest = await post('/api/messages', message, visitorToken);
    expect(overRest.status).toBe(503);
    expect(overRest.body.error.code).toBe('unavailable');
    const ready = await fetch(`${instance.url}/readyz`);
    expect(ready.status).toBe(503);

    await proxy.start();
    const resent = await socket.timeout(10_000).emitWithAck('message.send', message);
    expect(resent.ok).toBe(true);
    const again = await post('/api/messages', message, visitorToken);
    expect(again.status).toBe(200);
    const rows = await query<{ n: number }>(
      dbUrl,
      'select count(*)::int as n from messages where client_id = $1',
      [message.clientId],
    );
    expect(rows[0]?.n).toBe(1);
    socket.disconnect();
  });
});
