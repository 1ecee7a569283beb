import type { AnalyticsOverview, RetentionSettingsReply } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import { putSetting } from '../src/db/settings.js';
import { retentionTurn } from '../src/services/retention.js';
import {
  api,
  createAdmin,
  createAgent,
  createVisitor,
  newClientId,
  startVisitorChat,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';
import { upload } from './support/file-suite.js';

// Retention (issue 35): admins set how long data is kept; a durable job deletes what expired in
// small batches, through the map of personal data; the reports keep their counts.

const server = useServer({
  shared: true,
  env: { DATA_DIR: `/tmp/parley-retention-test-${process.pid}`, WEBHOOKS_ALLOW_PRIVATE: 'true' },
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const DAY = 24 * 3600 * 1000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let admin: SignedInAgent;
let agent: SignedInAgent;

const settings = (s: TestServer, token = admin.token) =>
  api<RetentionSettingsReply>(s, 'GET', '/api/settings/retention', { token });
const patch = (s: TestServer, body: unknown, token = admin.token) =>
  api<RetentionSettingsReply>(s, 'PATCH', '/api/settings/retention', { token, body });

/** A chat `daysAgo` old: started, answered and closed then, every message dated then. */
async function oldChat(s: TestServer, words: string, daysAgo: number) {
  const chat = await startVisitorChat(s, `${words}, from long ago`);
  const conversationId = chat.started.conversation.id;
  const token = chat.session.visitorToken;
  await api(s, 'PATCH', '/api/visitors/me', {
    token,
    body: { name: `${words} Person`, email: `${words.toLowerCase()}@example.com` },
  });
  const file = await upload(s, token, PDF, `${words}.pdf`);
  const sent = await chat.socket.timeout(5000).emitWithAck('message.send', {
    conversationId,
    content: `${words} sends a file`,
    clientId: newClientId(),
    attachmentIds: [file.id],
  });
  expect(sent.ok).toBe(true);
  await api(s, 'POST', '/api/messages', {
    token: agent.token,
    body: { conversationId, content: `${words}: answered`, clientId: newClientId() },
  });
  await api(s, 'PATCH', `/api/conversations/${conversationId}`, {
    token: agent.token,
    body: { status: 'closed' },
  });
  chat.socket.disconnect();
  const at = `${daysAgo} days`;
  await s.ctx.db.execute(sql`update messages set created_at = created_at - ${at}::interval
    where conversation_id = ${conversationId}`);
  await s.ctx.db.execute(sql`update conversations set
      created_at = created_at - ${at}::interval,
      first_visitor_message_at = first_visitor_message_at - ${at}::interval,
      first_response_at = first_response_at - ${at}::interval,
      closed_at = closed_at - ${at}::interval,
      last_message_at = last_message_at - ${at}::interval,
      last_message_minute = date_trunc('minute', last_message_at - ${at}::interval)
    where id = ${conversationId}`);
  const [row] = await rowsOf<{ key: string }>(
    s.ctx.db,
    sql`select storage_key as key from attachments where id = ${file.id}`,
  );
  return { chat, conversationId, visitorId: chat.session.visitor.id, storageKey: row!.key };
}

const count = async (s: TestServer, query: ReturnType<typeof sql>) =>
  (await rowsOf<{ n: number }>(s.ctx.db, query))[0]!.n;

/** Runs until the job's run is over and has found something. */
const finished = async (s: TestServer, check: (r: RetentionSettingsReply) => boolean) => {
  let last: RetentionSettingsReply | undefined;
  await waitFor(async () => {
    last = (await settings(s)).body;
    return last.lastRun?.finishedAt != null && check(last);
  }, 15_000);
  return last!;
};

describe('retention', () => {
  it('is set by admins only; a bad period changes nothing', async () => {
    const s = server.current;
    admin = await createAdmin(s);
    agent = await createAgent(s, admin);
    expect((await settings(s)).body).toEqual({
      settings: {
        closedConversationDays: null,
        idleVisitorDays: null,
        webhookLogDays: 30,
        doneJobDays: 30,
        auditLogDays: 365,
      },
      lastRun: null,
    });
    expect((await settings(s, agent.token)).status).toBe(403);
    expect((await patch(s, { closedConversationDays: 5 }, agent.token)).status).toBe(403);
    for (const body of [
      {},
      { closedConversationDays: 0 },
      { closedConversationDays: 1.5 },
      { webhookLogDays: null },
      { doneJobDays: 'forever' },
      { idleVisitorDays: 36501 },
    ]) {
      expect((await patch(s, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await settings(s)).body.settings.closedConversationDays).toBeNull();
    const changed = await patch(s, { closedConversationDays: 365 });
    expect(changed.status).toBe(200);
    expect(changed.body.settings).toMatchObject({ closedConversationDays: 365, doneJobDays: 30 });
    const audit = await count(
      s,
      sql`select count(*)::int as n from audit_events where action = 'retention.changed'`,
    );
    expect(audit).toBe(1);
  });

  it("deletes expired conversations' content, files and search entries; the reports keep their counts", async () => {
    const s = server.current;
    const old = await oldChat(s, 'Quenby', 12);
    const recent = await oldChat(s, 'Rosalind', 2);
    const open = await startVisitorChat(s, 'Sybil is still chatting');
    const day = isoDay(Date.now() - 12 * DAY);
    const report = async () =>
      (
        await api<AnalyticsOverview>(s, 'GET', `/api/analytics/overview?from=${day}&to=${day}`, {
          token: admin.token,
        })
      ).body;
    const before = await report();
    expect(before.conversations).toMatchObject({ total: 1, closed: 1 });
    expect(before.messages).toBe(3);
    expect(before.medianFirstResponseSeconds).not.toBeNull();

    const changed = await patch(s, { closedConversationDays: 7 });
    expect(changed.status).toBe(200);
    const done = await finished(s, (r) => r.lastRun!.conversations === 1);
    // Its three messages and the system line of its close.
    expect(done.lastRun).toMatchObject({ conversations: 1, messages: 4, files: 1 });

    // Nothing of it can be read: not by id, not in a list, not by search; its file is gone.
    const byId = await api(s, 'GET', `/api/conversations/${old.conversationId}`, {
      token: agent.token,
    });
    expect(byId.status).toBe(404);
    const closed = await api(s, 'GET', '/api/conversations?status=closed', { token: agent.token });
    expect(closed.body.items.map((c: { id: string }) => c.id)).toEqual([recent.conversationId]);
    for (const q of ['Quenby', 'quenby@example.com']) {
      const found = await api(s, 'GET', `/api/search?q=${q}`, { token: agent.token });
      expect(found.body.items, q).toEqual([]);
    }
    expect(
      await count(
        s,
        sql`select count(*)::int as n from messages where conversation_id = ${old.conversationId}`,
      ),
    ).toBe(0);
    await waitFor(async () => {
      const body = await s.ctx.files.get(old.storageKey);
      body?.destroy();
      return body === null;
    }, 10_000);
    // Its visitor is no contact any more: nothing of theirs is left to show.
    const contact = await api(s, 'GET', `/api/contacts/${old.visitorId}`, { token: agent.token });
    expect(contact.status).toBe(404);

    // The reports over its day say what they said.
    expect(await report()).toEqual(before);

    // The recent and the open chats are whole.
    for (const id of [recent.conversationId, open.started.conversation.id]) {
      const kept = await api(s, 'GET', `/api/conversations/${id}/messages`, { token: agent.token });
      expect(kept.status, id).toBe(200);
      expect(kept.body.messages.length, id).toBeGreaterThan(0);
    }
    expect((await s.ctx.files.get(recent.storageKey)) !== null).toBe(true);

    // The same change again finds nothing more: the last run stays as it was.
    expect((await patch(s, { closedConversationDays: 7 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await settings(s)).body.lastRun).toEqual(done.lastRun);
    open.socket.disconnect();
  });

  it('deletes idle visitors who never chatted and empties those whose chats all expired', async () => {
    const s = server.current;
    const browser = await createVisitor(s);
    const chatting = await startVisitorChat(s, 'Tamsin is here');
    await api(s, 'PATCH', '/api/visitors/me', {
      token: chatting.session.visitorToken,
      body: { name: 'Tamsin Talks' },
    });
    chatting.socket.disconnect();
    const [expired] = await rowsOf<{ id: string }>(
      s.ctx.db,
      sql`select visitor_id as id from conversations where expired_at is not null`,
    );
    await s.ctx.db.execute(
      sql`update visitors set last_seen_at = now() - interval '20 days', online = false`,
    );

    expect((await patch(s, { idleVisitorDays: 10 })).status).toBe(200);
    await finished(s, (r) => r.lastRun!.visitors >= 2);

    const visitors = await rowsOf<{ id: string; name: string | null; expired: boolean }>(
      s.ctx.db,
      sql`select id, name, expired_at is not null as expired from visitors`,
    );
    const byId = new Map(visitors.map((v) => [v.id, v]));
    expect(byId.has(browser.visitor.id)).toBe(false);
    expect(byId.get(expired!.id)).toMatchObject({ name: null, expired: true });
    expect(byId.get(chatting.session.visitor.id)).toMatchObject({
      name: 'Tamsin Talks',
      expired: false,
    });
    expect(
      await count(
        s,
        sql`select count(*)::int as n from page_views where visitor_id = ${expired!.id}`,
      ),
    ).toBe(0);
  });

  it('keeps the webhook log and done jobs for their own periods; pending deliveries stay', async () => {
    const s = server.current;
    const endpoint = await api(s, 'POST', '/api/webhooks', {
      token: admin.token,
      body: { url: 'http://127.0.0.1:9/parley', events: ['contact.erased'] },
    });
    expect(endpoint.status).toBe(201);
    const endpointId = endpoint.body.endpoint.id as string;
    for (const [status, age] of [
      ['delivered', '40 days'],
      ['failed', '40 days'],
      ['pending', '40 days'],
      ['delivered', '1 day'],
    ]) {
      await s.ctx.db.execute(sql`insert into webhook_deliveries
        (id, endpoint_id, event_id, event_type, payload, status, event_created_at, created_at)
        values (gen_random_uuid(), ${endpointId}, gen_random_uuid(), 'conversation.created',
          '{}'::jsonb, ${status}, now(), now() - ${age}::interval)`);
    }
    await s.ctx.db.execute(sql`update jobs set finished_at = now() - interval '40 days'
      where status = 'done'`);
    const doneBefore = await count(
      s,
      sql`select count(*)::int as n from jobs where status = 'done'`,
    );
    expect(doneBefore).toBeGreaterThan(0);

    expect((await patch(s, { webhookLogDays: 30, doneJobDays: 20 })).status).toBe(200);
    await finished(s, (r) => r.lastRun!.webhookDeliveries >= 2);
    const left = await rowsOf<{ status: string }>(
      s.ctx.db,
      sql`select status from webhook_deliveries where endpoint_id = ${endpointId} order by status`,
    );
    expect(left.map((r) => r.status)).toEqual(['delivered', 'pending']);
    await waitFor(
      async () =>
        (await count(
          s,
          sql`select count(*)::int as n from jobs
            where status = 'done' and finished_at < now() - interval '20 days'`,
        )) === 0,
    );
  });

  it('goes in turns of small batches, each a transaction of its own, until none is left', async () => {
    const s = server.current;
    const chats = [];
    for (let i = 0; i < 23; i++) chats.push(await oldChat(s, `Batch${i}`, 30));
    // Set where no job is started: the turns are run here.
    await putSetting(s.ctx.db, 'retention', {
      closedConversationDays: 7,
      idleVisitorDays: null,
      webhookLogDays: 30,
      doneJobDays: 20,
    });
    const first = await retentionTurn(s.ctx, { turnMs: 0, pauseMs: 0 });
    expect(first.more).toBe(true);
    const left = () =>
      count(
        s,
        sql`select count(*)::int as n from conversations
          where expired_at is null and closed_at < now() - interval '7 days'`,
      );
    expect(await left()).toBe(3);
    const second = await retentionTurn(s.ctx, { turnMs: 0, pauseMs: 0 });
    expect(second.more).toBe(false);
    expect(await left()).toBe(0);
    expect(second.run).toMatchObject({ conversations: 23, messages: 23 * 4, files: 23 });
    expect(second.run!.finishedAt).not.toBeNull();
  });
});
