import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../factories.js';
import { ReliableClient, type Arrival } from '../support/reliable-client.js';
import {
  buildServer,
  dropDatabase,
  post,
  query,
  startInstance,
  type Instance,
} from './processes.js';
import { createDatabase, freePort } from '../../../../tools/local.mjs';
import { startWithProof } from '../pow.js';

// A Redis of this file's own: restarting the shared one would pull it from under other tests.
const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const dbName = `parley_redis_blink_${process.pid}`;
/** Messages each side sends in its burst. */
const BURST = 300;
/** Redis is killed after this many of each burst; the rest is sent while it is away. */
const KILL_AFTER = 200;
/** How long Redis stays away. */
const DOWN_MS = 2_000;
let dbUrl: string;
let redisPort: number;
let redis: ChildProcess | undefined;
let a: Instance;
let b: Instance;
const clients: ReliableClient[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** `redis-server` in the foreground, without persistence: a restart comes back empty. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.resume();
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${output}`)),
      10_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  return child;
}

async function stopRedis(): Promise<void> {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  buildServer();
  dbUrl = await createDatabase(adminUrl, dbName);
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    REDIS_PREFIX: `parley-blink-${process.pid}`,
    JWT_SECRET: 'redis-blink-secret-redis-blink-secret-00',
    // Bursts from one address: delivery is under test here, not the limits.
    RATE_LIMITS: 'off',
  };
  a = await startInstance(env);
  b = await startInstance(env);
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const instance of [a, b]) instance?.process.kill('SIGKILL');
  await stopRedis();
  await dropDatabase(adminUrl, dbName);
});

/** A visitor on `url` with a conversation started and synced. */
async function startVisitor(url: string, content: string) {
  const session = await post<{ visitorToken: string }>(`${url}/api/visitors/session`, {});
  const client = new ReliableClient([url], '/visitor', { visitorToken: session.visitorToken });
  clients.push(client);
  await client.connect();
  const started =
    client.socket &&
    (await startWithProof(client.socket, { content, clientId: crypto.randomUUID() }));
  if (!started?.ok) throw new Error('start failed');
  const conversationId: string = started.data.conversation.id;
  client.track(conversationId);
  await client.sync();
  return { client, conversationId };
}

/** The conversation's rows in seq order. */
const rowsOf = (conversationId: string) =>
  query<{ id: string; seq: number; client_id: string | null }>(
    dbUrl,
    'select id, seq, client_id from messages where conversation_id = $1 order by seq',
    [conversationId],
  );

/** How the messages with these client ids first reached `client`'s screen. */
function arrivals(client: ReliableClient, rows: Array<{ id: string; client_id: string | null }>) {
  const counts: Record<Arrival | 'missing', number> = { live: 0, ack: 0, sync: 0, missing: 0 };
  for (const r of rows) counts[client.arrivals.get(r.id) ?? 'missing']++;
  return counts;
}

describe('Redis restarted under a running chat on two instances', () => {
  it('each side gets all of the other side’s burst, once and in order, live or through sync', async () => {
    const admin = await post<{ accessToken: string }>(`${a.url}/api/auth/register`, {
      name: 'Agent on A',
      email: 'blink@example.com',
      password: 'redis blink password',
    });
    const agent = new ReliableClient([a.url], '/agent', { token: admin.accessToken });
    clients.push(agent);
    await agent.connect();
    // Visitor one (on B) writes to the agent on A; the agent on A writes to visitor two (on B).
    const one = await startVisitor(b.url, 'visitor one here');
    const two = await startVisitor(b.url, 'visitor two here');
    await waitFor(
      () =>
        (agent.shown.get(one.conversationId)?.length ?? 0) >= 1 &&
        (agent.shown.get(two.conversationId)?.length ?? 0) >= 1,
    );

    const fromVisitor: string[] = [];
    const fromAgent: string[] = [];
    let killedAt = 0;
    for (let i = 0; i < BURST; i++) {
      if (i === KILL_AFTER) {
        killedAt = Date.now();
        await stopRedis();
      }
      fromVisitor.push(one.client.send(one.conversationId, `visitor ${i}`));
      fromAgent.push(agent.send(two.conversationId, `agent ${i}`));
      // The end of the burst goes quickly: it is over before anything queued for Redis is
      // given up, so the last messages are lost with none after them to reveal the gap.
      await sleep(i < KILL_AFTER ? 10 : 4);
    }
    await sleep(DOWN_MS - (Date.now() - killedAt));
    redis = await startRedis(redisPort);
    const downMs = Date.now() - killedAt;

    // Every message stored once, in the order sent (the sockets never dropped: all acked).
    await waitFor(() => one.client.outbox.size === 0 && agent.outbox.size === 0, 15_000);
    const rowsOne = await rowsOf(one.conversationId);
    const rowsTwo = await rowsOf(two.conversationId);
    for (const [rows, sent] of [
      [rowsOne, fromVisitor],
      [rowsTwo, fromAgent],
    ] as const) {
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(rows.map((r) => r.client_id).filter((id) => id && sent.includes(id))).toEqual(sent);
    }

    // Each side shows every row once, in seq order, without reconnecting and without a manual
    // sync: what a broadcast lost in the blink must come through `sync.required` or a gap.
    const shown = (client: ReliableClient, id: string) =>
      client.shown.get(id)?.map((m) => m.id) ?? [];
    const complete = () =>
      shown(agent, one.conversationId).length === rowsOne.length &&
      shown(two.client, two.conversationId).length === rowsTwo.length;
    await waitFor(complete, 15_000).catch(() => {});
    const burstOne = rowsOne.filter((r) => r.client_id && fromVisitor.includes(r.client_id));
    const burstTwo = rowsTwo.filter((r) => r.client_id && fromAgent.includes(r.client_id));
    const agentGot = arrivals(agent, burstOne);
    const visitorGot = arrivals(two.client, burstTwo);
    const report =
      `Redis down ${downMs} ms; agent on A got the visitor's ${BURST}: ${agentGot.live} live, ${agentGot.sync} through sync, ${agentGot.missing} missing; ` +
      `visitor on B got the agent's ${BURST}: ${visitorGot.live} live, ${visitorGot.sync} through sync, ${visitorGot.missing} missing; ` +
      `syncs asked: agent ${JSON.stringify(agent.syncsAsked)}, visitor ${JSON.stringify(two.client.syncsAsked)}; ` +
      `repeats suppressed ${agent.repeats + two.client.repeats}`;
    console.log(`redis blink: ${report}`);
    expect({ agent: agentGot.missing, visitor: visitorGot.missing }, report).toEqual({
      agent: 0,
      visitor: 0,
    });
    expect(shown(agent, one.conversationId)).toEqual(rowsOne.map((r) => r.id));
    expect(shown(two.client, two.conversationId)).toEqual(rowsTwo.map((r) => r.id));
    // Nobody reconnected: what was missed was caught on a connection that stayed up.
    expect([...agent.reconnects, ...two.client.reconnects, ...one.client.reconnects]).toEqual([]);
  });
});
