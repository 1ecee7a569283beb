import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../factories.js';
import { ReliableClient } from '../support/reliable-client.js';
import { buildServer, dropDatabase, query, startInstance, type Instance } from './processes.js';
import { createDatabase } from '../../../../tools/local.mjs';
import { startWithProof } from '../pow.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? '';
const dbName = `parley_chaos_${process.pid}`;
const VISITORS = 50;
const PER_VISITOR = 20;
let env: Record<string, string>;
let dbUrl: string;
let server: Instance;
const clients: ReliableClient[] = [];

beforeAll(async () => {
  buildServer();
  dbUrl = await createDatabase(adminUrl, dbName);
  env = {
    DATABASE_URL: dbUrl,
    JWT_SECRET: 'chaos-secret-chaos-secret-chaos-secret-00',
    // A load test from one address: durability is under test here, not the limits.
    RATE_LIMITS: 'off',
  };
  server = await startInstance(env);
});

afterAll(async () => {
  for (const c of clients) c.close();
  server?.process.kill('SIGKILL');
  await dropDatabase(adminUrl, dbName);
});

async function call<T>(method: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** SIGKILL, then the same command on the same port, as a supervisor would. */
async function killAndRestart(): Promise<number> {
  const killedAt = Date.now();
  server.process.kill('SIGKILL');
  await server.exited;
  server = await startInstance(env, server.port);
  return Date.now() - killedAt;
}

describe('chaos on one instance', () => {
  it('50 visitors send 1,000 messages through two kill -9 restarts: each stored once, all seen in order', async () => {
    const admin = await call<{ accessToken: string; user: { id: string } }>(
      'POST',
      '/api/auth/register',
      {
        name: 'Chaos Agent',
        email: 'chaos@example.com',
        password: 'chaos password',
      },
    );
    await call('PATCH', `/api/users/${admin.user.id}`, { capacity: 100 }, admin.accessToken);
    const agent = new ReliableClient([server.url], '/agent', { token: admin.accessToken });
    clients.push(agent);
    await agent.connect();

    const visitors: Array<{ client: ReliableClient; conversationId: string }> = [];
    for (let i = 0; i < VISITORS; i++) {
      const session = await call<{ visitorToken: string }>('POST', '/api/visitors/session', {});
      const client = new ReliableClient([server.url], '/visitor', {
        visitorToken: session.visitorToken,
      });
      clients.push(client);
      await client.connect();
      const started =
        client.socket &&
        (await startWithProof(client.socket, {
          content: `visitor ${i} here`,
          clientId: crypto.randomUUID(),
        }));
      if (!started?.ok) throw new Error('start failed');
      client.track(started.data.conversation.id);
      await client.sync();
      visitors.push({ client, conversationId: started.data.conversation.id });
    }

    const sent: string[] = [];
    const sending = visitors.map(async ({ client, conversationId }, v) => {
      for (let i = 0; i < PER_VISITOR; i++) {
        sent.push(client.send(conversationId, `v${v} m${i}`));
        if (i % 5 === 4) sent.push(agent.send(conversationId, `reply to v${v} m${i}`));
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
      }
    });
    const downtimes: number[] = [];
    await new Promise((r) => setTimeout(r, 1200));
    downtimes.push(await killAndRestart());
    await new Promise((r) => setTimeout(r, 1200));
    downtimes.push(await killAndRestart());
    await Promise.all(sending);
    const everyone = [agent, ...visitors.map((v) => v.client)];
    await waitFor(() => everyone.every((c) => c.outbox.size === 0 && c.connected), 60_000).catch(
      (error: unknown) => {
        const stuck = everyone.filter((c) => c.outbox.size > 0 || !c.connected);
        throw new Error(
          `${String(error)}: ${stuck.length} clients stuck, ${stuck.filter((c) => !c.connected).length} disconnected, ` +
            `${stuck.reduce((n, c) => n + c.outbox.size, 0)} messages unsent, last errors: ${stuck.map((c) => c.lastError).join('; ')}, server exit ${server.process.exitCode}, output:\n${server.stderr().slice(-3000)}`,
        );
      },
    );
    await Promise.all(everyone.map((c) => c.sync()));

    const duplicates = await query(
      dbUrl,
      'select client_id from messages where client_id is not null group by conversation_id, sender, client_id having count(*) > 1',
    );
    expect(duplicates).toEqual([]);
    const stored = await query(dbUrl, 'select client_id from messages where client_id = any($1)', [
      sent,
    ]);
    expect(sent).toHaveLength(VISITORS * PER_VISITOR + (VISITORS * PER_VISITOR) / 5);
    expect(stored).toHaveLength(sent.length);

    const rows = await query<{ id: string; conversation_id: string; seq: number }>(
      dbUrl,
      'select id, conversation_id, seq from messages order by conversation_id, seq',
    );
    const byConversation = new Map<string, string[]>();
    for (const r of rows)
      byConversation.set(r.conversation_id, [
        ...(byConversation.get(r.conversation_id) ?? []),
        r.id,
      ]);
    for (const { client, conversationId } of visitors) {
      expect(client.shown.get(conversationId)?.map((m) => m.id)).toEqual(
        byConversation.get(conversationId),
      );
      expect(agent.shown.get(conversationId)?.map((m) => m.id)).toEqual(
        byConversation.get(conversationId),
      );
    }
    const reconnects = everyone.flatMap((c) => c.reconnects);
    console.log(
      `chaos: sent ${sent.length} (${VISITORS * PER_VISITOR} by visitors), stored ${stored.length}, duplicate rows ${duplicates.length}, ` +
        `restarts ${downtimes.map((d) => `${d} ms`).join(', ')}, reconnects ${reconnects.length}, longest reconnect ${Math.max(0, ...reconnects)} ms, ` +
        `repeats suppressed ${everyone.reduce((n, c) => n + c.repeats, 0)}`,
    );
  });
});
