import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { planTables, tableSum, useCanonicalText } from '../src/db/move.js';
import { openPglite, postgresSession } from '../src/db/sql-session.js';
import { createDatabase, dropDatabase } from '../../../tools/local.mjs';
import { testDatabaseKind } from './database.js';
import {
  api,
  connectAgent,
  createAdmin,
  login,
  newClientId,
  startVisitorChat,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import { upload } from './support/file-suite.js';
import { allMessages, freshDataDir, runTool, startOwnServer } from './support/ops-tools.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const PASSWORD = 'correct horse battery';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const STACK = /\n\s+at /;

/** What an agent sees of the history: the list, every conversation, search and the reports. */
async function whatAgentsSee(server: ParleyServer, token: string) {
  const get = async (path: string) => {
    const res = await api(server, 'GET', path, { token });
    expect(res.status, path).toBe(200);
    return res.body;
  };
  const list = await get('/api/conversations?limit=100');
  const ids: string[] = list.items.map((c: { id: string }) => c.id);
  const today = new Date().toISOString().slice(0, 10);
  const range = `from=${today}&to=${today}`;
  return {
    list,
    closed: await get('/api/conversations?status=closed'),
    messages: await Promise.all(ids.map((id) => allMessages(server, token, id))),
    search: await get('/api/search?q=quokka'),
    searchTag: await get('/api/conversations?q=billing'),
    overview: await get(`/api/analytics/overview?${range}`),
    timeseries: await get(`/api/analytics/timeseries?${range}`),
    agents: await get(`/api/analytics/agents?${range}`),
    ratings: await get(`/api/analytics/ratings?${range}`),
  };
}

// docs/operations.md "Moving to PostgreSQL": `npm run move-to-postgres -- <url>`, run as a user
// runs it, from an embedded database a server filled, into a database of this file's own.
describe.runIf(testDatabaseKind === 'pglite' && adminUrl)('the move to PostgreSQL', () => {
  const name = `parley_move_test_${randomUUID().slice(0, 8)}`;
  let targetUrl: string;
  let work: string;
  let dataDir: string;
  let server: ParleyServer;
  let admin: SignedInAgent;
  let attachmentId: string;
  let before: Awaited<ReturnType<typeof whatAgentsSee>>;

  beforeAll(async () => {
    targetUrl = await createDatabase(adminUrl!, name);
    ({ work, dataDir } = freshDataDir());
    server = await startOwnServer({ DATA_DIR: dataDir });
    admin = await createAdmin(server);
    const agent = await connectAgent(server, admin.token);
    // Three chats: one about a quokka (a rare word to search), one tagged and closed and
    // rated, one with a file; the agent answers each.
    const chats = [];
    for (const [i, words] of ['I saw a quokka today', 'Billing question', 'See file'].entries()) {
      const chat = await startVisitorChat(server, words);
      chats.push(chat);
      const conversationId = chat.started.conversation.id;
      // Text that COPY must escape: quotes, a tab, backslashes, a newline, and more than ASCII.
      const content = (n: number) =>
        `reply ${n} in chat ${i}: "quotes", a\ttab, \\back\\slashes\\,\na new line, émoji 🙂`;
      const payload = (n: number) => ({
        conversationId,
        content: content(n),
        clientId: newClientId(),
      });
      const replies = [
        await agent.timeout(5000).emitWithAck('message.send', { ...payload(0), type: 'text' }),
        await chat.socket.timeout(5000).emitWithAck('message.send', payload(1)),
        await agent.timeout(5000).emitWithAck('message.send', { ...payload(2), type: 'note' }),
      ];
      expect(replies.every((r) => r.ok)).toBe(true);
    }
    const billing = chats[1]!.started.conversation.id;
    const tagged = await api(server, 'PATCH', `/api/conversations/${billing}`, {
      token: admin.token,
      body: { tags: ['billing'], notes: 'Refunded.\nTwo lines.', status: 'closed' },
    });
    expect(tagged.status).toBe(200);
    const rated = await chats[1]!.socket.timeout(5000).emitWithAck('conversation.rate', {
      conversationId: billing,
      rating: 'up',
      comment: 'Quick, thanks',
    });
    expect(rated.ok).toBe(true);
    const file = await upload(server, chats[2]!.session.visitorToken, PDF, 'invoice.pdf');
    attachmentId = file.id;
    const sent = await chats[2]!.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: chats[2]!.started.conversation.id,
      content: '',
      clientId: newClientId(),
      attachmentIds: [attachmentId],
    });
    expect(sent.ok).toBe(true);
    // Everyone leaves (who is online is not history), then the history is what agents see.
    agent.disconnect();
    for (const chat of chats) chat.socket.disconnect();
    await waitFor(async () => {
      const list = await api(server, 'GET', '/api/conversations', { token: admin.token });
      return list.body.items.every((c: { visitor: { online: boolean } }) => !c.visitor.online);
    });
    before = await whatAgentsSee(server, admin.token);
    expect(before.search.items.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await server?.close();
    if (adminUrl) await dropDatabase(adminUrl, name);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const relationsInTarget = async () => {
    const client = new pg.Client({ connectionString: targetUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        "select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname in ('public', 'drizzle')",
      );
      return rows[0].n as number;
    } finally {
      await client.end();
    }
  };

  it('refuses while Parley runs on DATA_DIR, and leaves the target as it was', async () => {
    const run = await runTool(['move-to-postgres', targetUrl], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/A Parley server \(process \d+\) has .* open\. Stop Parley first/);
    expect(run.stderr).not.toMatch(STACK);
    expect(await relationsInTarget()).toBe(0);
  });

  it('copies every table, checks rows and checksums on both sides, and a server on PostgreSQL shows the same history, search and reports', async () => {
    await server.close();
    const run = await runTool(['move-to-postgres', targetUrl], { DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const tableLines = lines.filter((l) =>
      /^ {2}\S+\s+[\d,]+\s+[0-9a-f]{12} = [0-9a-f]{12}/.test(l),
    );
    expect(tableLines.length).toBeGreaterThan(20);
    for (const line of tableLines) {
      const [, left, right, verdict] = /([0-9a-f]{12}) = ([0-9a-f]{12})\s+(\S+)/.exec(line)!;
      expect({ line, same: left === right, verdict }).toEqual({ line, same: true, verdict: 'ok' });
    }
    expect(run.stdout).toMatch(/All \d+ tables match: [\d,]+ rows/);
    expect(run.stdout).toMatch(/Start Parley with DATABASE_URL/);
    expect(run.stdout).toMatch(/S3_BUCKET/);

    // As an operator then does: the same DATA_DIR for the files, and DATABASE_URL.
    server = await startOwnServer({ DATA_DIR: dataDir, DATABASE_URL: targetUrl });
    expect(server.database.kind).toBe('postgres');
    const signedIn = await login(server, admin.user.email, PASSWORD);
    const after = await whatAgentsSee(server, signedIn.token);
    expect(after).toEqual(before);
    const link = await api<{ url: string }>(server, 'GET', `/api/attachments/${attachmentId}/url`, {
      token: signedIn.token,
    });
    const file = await fetch(`${server.url}${link.body.url}`);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
    // A token signed before the move is still good: the JWT secret moved with the settings.
    expect((await api(server, 'GET', '/api/conversations', { token: admin.token })).status).toBe(
      200,
    );
  }, 60_000);

  it('refuses a target that is not empty', async () => {
    await server.close();
    const run = await runTool(['move-to-postgres', targetUrl], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /The target database is not empty: it holds \d+ tables and sequences in its public/,
    );
    expect(run.stderr).not.toMatch(STACK);
  });

  it('tells a table whose rows differ by its checksum', async () => {
    const source = await openPglite(dataDir);
    const client = new pg.Client({ connectionString: targetUrl });
    await client.connect();
    try {
      const target = postgresSession(client);
      await useCanonicalText(source, 'session');
      await useCanonicalText(target, 'session');
      const messages = (await planTables(source)).find((p) => p.name === 'messages')!;
      const sum = () => Promise.all([tableSum(source, messages), tableSum(target, messages)]);
      const [same, copied] = await sum();
      expect(copied).toEqual(same);
      await client.query("update messages set content = content || '.' where seq = 2");
      const [, changed] = await sum();
      expect(changed.rows).toBe(same.rows);
      expect(changed.checksum).not.toBe(same.checksum);
    } finally {
      await client.end();
      await source.close();
    }
  });
});
