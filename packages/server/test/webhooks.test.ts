import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type {
  WebhookDelivery,
  WebhookDeliveryDetailReply,
  WebhookDeliveryListReply,
  WebhookDeliveryReply,
  WebhookEndpoint,
  WebhookEndpointCreatedReply,
  WebhookEventType,
} from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhookEndpoints } from '../src/db/schema.js';
import {
  api,
  createAdmin,
  createAgent,
  startVisitorChat,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

// Webhooks against a real HTTP receiver started here, which checks signatures and handles each
// event id once, as docs/webhooks.md tells integrators to.
let receiver: WebhookReceiver;
let smtp: TestSmtp;
// Short retries and timeout, so that what takes hours in production takes moments here.
const env: Record<string, string> = {
  WEBHOOKS_ALLOW_PRIVATE: 'true',
  WEBHOOKS_RETRY_DELAY_MS: '150',
  WEBHOOKS_TIMEOUT_MS: '800',
  MAIL_FROM: 'Acme Support <support@acme.example>',
};

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  smtp = await startSmtp();
  env.SMTP_URL = smtp.url;
});
afterAll(async () => {
  await receiver.close();
  await smtp.close();
});
beforeEach(() => {
  receiver.reset();
  smtp.received.length = 0;
});

async function addEndpoint(
  s: TestServer,
  admin: SignedInAgent,
  events: WebhookEventType[],
  url = receiver.url,
): Promise<WebhookEndpoint> {
  const res = await api<WebhookEndpointCreatedReply>(s, 'POST', '/api/webhooks', {
    token: admin.token,
    body: { url, events, description: 'CRM sync' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  receiver.secret = res.body.secret;
  return res.body.endpoint;
}

async function deliveriesOf(
  s: TestServer,
  admin: SignedInAgent,
  endpointId: string,
): Promise<WebhookDelivery[]> {
  const res = await api<WebhookDeliveryListReply>(
    s,
    'GET',
    `/api/webhooks/${endpointId}/deliveries`,
    { token: admin.token },
  );
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The one delivery of a test event, once it is no longer pending. */
async function pingSettles(s: TestServer, admin: SignedInAgent, endpointId: string) {
  const sent = await api(s, 'POST', `/api/webhooks/${endpointId}/test`, { token: admin.token });
  expect(sent.status).toBe(202);
  const id = sent.body.delivery.id as string;
  let found: WebhookDelivery | undefined;
  await waitFor(async () => {
    found = (await deliveriesOf(s, admin, endpointId)).find((d) => d.id === id);
    return found !== undefined && found.status !== 'pending';
  });
  return found as WebhookDelivery;
}

/** A reply that never ends: megabytes for as long as the connection stays open. */
const endless = (status: number) => (_req: unknown, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/plain' });
  const chunk = 'x'.repeat(64 * 1024);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', pump);
  pump();
};

describe('webhooks', () => {
  const server = useServer({ env });

  it('lets admins manage endpoints, and refuses bad input with the error shape', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const body = { url: receiver.url, events: ['conversation.created'] };
    expect((await api(s, 'POST', '/api/webhooks', { body })).status).toBe(401);
    expect((await api(s, 'POST', '/api/webhooks', { token: agent.token, body })).status).toBe(403);
    expect((await api(s, 'GET', '/api/webhooks', { token: agent.token })).status).toBe(403);

    for (const [bad, path] of [
      [{ ...body, url: 'ftp://hooks.example.com/' }, 'url'],
      [{ ...body, url: 'https://user:pass@hooks.example.com/' }, 'url'],
      [{ ...body, url: 'not a url' }, 'url'],
      [{ ...body, events: [] }, 'events'],
      [{ ...body, events: ['conversation.exploded'] }, 'events.0'],
      [{ url: receiver.url }, 'events'],
      [{ ...body, description: 'x'.repeat(201) }, 'description'],
    ] as const) {
      const res = await api(s, 'POST', '/api/webhooks', { token: admin.token, body: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    // The list says whether private addresses are allowed, for the form to say what is true.
    expect((await api(s, 'GET', '/api/webhooks', { token: admin.token })).body).toEqual({
      items: [],
      privateAddressesAllowed: true,
    });

    const created = await api<WebhookEndpointCreatedReply>(s, 'POST', '/api/webhooks', {
      token: admin.token,
      body: { ...body, events: ['message.created', 'conversation.created', 'message.created'] },
    });
    expect(created.status).toBe(201);
    const { endpoint, secret } = created.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint).toMatchObject({
      url: receiver.url,
      description: '',
      events: ['conversation.created', 'message.created'],
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdBy: admin.user.id,
    });
    // The secret is read apart, on purpose; never in lists.
    const list = await api(s, 'GET', '/api/webhooks', { token: admin.token });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const path = `/api/webhooks/${endpoint.id}`;
    expect((await api(s, 'GET', `${path}/secret`, { token: admin.token })).body).toEqual({
      secret,
    });
    const rotated = await api(s, 'POST', `${path}/rotate-secret`, { token: admin.token });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    expect((await api(s, 'GET', `${path}/secret`, { token: admin.token })).body).toEqual(
      rotated.body,
    );

    const patched = await api(s, 'PATCH', path, {
      token: admin.token,
      body: { description: 'Helpdesk', events: ['visitor.updated'], enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.endpoint).toMatchObject({
      description: 'Helpdesk',
      events: ['visitor.updated'],
      enabled: false,
      disabledReason: null,
    });
    const badPatch = await api(s, 'PATCH', path, { token: admin.token, body: { events: [] } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.code).toBe('validation_failed');
    expect((await api(s, 'GET', '/api/webhooks/nope', { token: admin.token })).status).toBe(400);
    const missing = await api(s, 'GET', `/api/webhooks/${randomUUID()}`, { token: admin.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');

    expect((await api(s, 'DELETE', path, { token: admin.token })).status).toBe(204);
    expect((await api(s, 'GET', path, { token: admin.token })).status).toBe(404);
  });

  it('signs each delivery, retries with backoff, and the receiver handles the event once', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const endpoint = await addEndpoint(s, admin, ['conversation.created']);
    const tries = new Map<string, number>();
    receiver.answer = (request, res) => {
      const n = (tries.get(request.event.id) ?? 0) + 1;
      tries.set(request.event.id, n);
      if (n <= 2) res.writeHead(500).end('busy, try later');
      else res.writeHead(200).end('ok');
    };

    const chat = await startVisitorChat(s, 'Where is my order?');
    await waitFor(() => receiver.processed.length === 1);
    const [event] = receiver.processed;
    expect(event?.type).toBe('conversation.created');
    if (event?.type !== 'conversation.created') return;
    expect(event.data.conversation.id).toBe(chat.started.conversation.id);
    expect(event.data.conversation.status).toBe('pending');
    expect(event.data.visitor.id).toBe(chat.session.visitor.id);
    expect(event.data.conversation).not.toHaveProperty('lastMessage');

    // Three requests of one event: the same id and body each time, each signed afresh.
    expect(receiver.requests).toHaveLength(3);
    for (const request of receiver.requests) {
      expect(request.schemaError).toBeNull();
      expect(request.verified).toBe(true);
      expect(request.age).toBeLessThan(30);
      expect(request.raw).toBe(receiver.requests[0]?.raw);
      expect(request.headers['parley-event-id']).toBe(event.id);
      expect(request.headers['parley-event-type']).toBe('conversation.created');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['parley-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    }
    // Waiting longer each time: 150 ms, then 300 ms.
    const [first, second, third] = receiver.requests.map((r) => r.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(120);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(270);

    await waitFor(async () => (await deliveriesOf(s, admin, endpoint.id))[0]?.status !== 'pending');
    const [delivery] = await deliveriesOf(s, admin, endpoint.id);
    expect(delivery).toMatchObject({
      eventId: event.id,
      eventType: 'conversation.created',
      conversationId: chat.started.conversation.id,
      status: 'delivered',
      attempts: 3,
      responseStatus: 200,
      error: null,
      nextAttemptAt: null,
    });
    expect(delivery?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(delivery?.deliveredAt).not.toBeNull();
    const start = first ?? 0;
    console.log(
      `webhook log after 500, 500, 200: ${JSON.stringify(delivery)}\nrequests at +${receiver.requests
        .map((r) => r.at - start)
        .join(' ms, +')} ms`,
    );
    // Sent once it succeeded: nothing more comes.
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests).toHaveLength(3);
    const endpointNow = await api(s, 'GET', `/api/webhooks/${endpoint.id}`, {
      token: admin.token,
    });
    expect(endpointNow.body.endpoint.failingSince).toBeNull();
  });

  it('delivers the events of a conversation in order, holding later ones behind a retry', async () => {
    const s = server.current;
    const admin = await createAdmin(s, 'Ada Admin');
    const endpoint = await addEndpoint(s, admin, [
      'message.created',
      'conversation.assigned',
      'conversation.closed',
      'rating.given',
    ]);
    // The first event fails once: everything after it must wait for its retry.
    receiver.answer = (_request, res) => {
      if (receiver.requests.length === 1) res.writeHead(503).end();
      else res.writeHead(200).end();
    };

    const chat = await startVisitorChat(s, 'one');
    const conversationId = chat.started.conversation.id;
    for (const content of ['two', 'three', 'four']) {
      const ack = await chat.socket
        .timeout(5000)
        .emitWithAck('message.send', { conversationId, content, clientId: randomUUID() });
      expect(ack.ok).toBe(true);
    }
    const path = `/api/conversations/${conversationId}`;
    const opts = { token: admin.token };
    expect(
      (await api(s, 'POST', `${path}/assign`, { ...opts, body: { agentId: admin.user.id } }))
        .status,
    ).toBe(200);
    expect((await api(s, 'PATCH', path, { ...opts, body: { status: 'closed' } })).status).toBe(200);
    const rated = await chat.socket
      .timeout(5000)
      .emitWithAck('conversation.rate', { conversationId, rating: 'up', comment: 'Thanks!' });
    expect(rated.ok).toBe(true);

    await waitFor(() => receiver.processed.length === 9, 10_000);
    expect(receiver.requests).toHaveLength(10);
    expect(
      receiver.processed.map((e) =>
        e.type === 'message.created' ? `message ${e.data.message.content}` : e.type,
      ),
    ).toEqual([
      'message one',
      'message two',
      'message three',
      'message four',
      'message Ada Admin joined the chat',
      'conversation.assigned',
      'message Chat closed by Ada Admin',
      'conversation.closed',
      'rating.given',
    ]);
    const [, , , , , assigned, , closed, rating] = receiver.processed;
    expect(assigned?.type === 'conversation.assigned' && assigned.data).toMatchObject({
      conversation: { id: conversationId, assigneeId: admin.user.id, status: 'open' },
      assignee: { id: admin.user.id, name: 'Ada Admin' },
    });
    expect(closed?.type === 'conversation.closed' && closed.data.conversation.status).toBe(
      'closed',
    );
    expect(rating?.type === 'rating.given' && rating.data.conversation).toMatchObject({
      rating: 'up',
      ratingComment: 'Thanks!',
    });
    // Event times follow the same order.
    const times = receiver.processed.map((e) => e.createdAt);
    expect([...times].sort()).toEqual(times);
    // The receiver has the last event a moment before Parley has recorded its answer.
    await waitFor(async () =>
      (await deliveriesOf(s, admin, endpoint.id)).every((d) => d.status === 'delivered'),
    );
    const log = await deliveriesOf(s, admin, endpoint.id);
    expect(log).toHaveLength(9);
    expect(log.map((d) => d.attempts).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it("carries each chat's site and team: on conversation events and on its messages", async () => {
    const s = server.current;
    const admin = await createAdmin(s, 'Ada Admin');
    await addEndpoint(s, admin, ['conversation.created', 'message.created']);
    const team = await api(s, 'POST', '/api/teams', {
      token: admin.token,
      body: { name: 'Billing' },
    });
    const site = await api(s, 'POST', '/api/sites', {
      token: admin.token,
      body: { name: 'Shop', key: 'shop', teamIds: [team.body.team.id] },
    });
    await startVisitorChat(s, 'From the shop', { site: 'shop' });
    await waitFor(() => receiver.processed.length === 2, 10_000);
    const place = { siteId: site.body.site.id, teamId: team.body.team.id };
    const [message, created] = receiver.processed;
    expect(message?.type === 'message.created' && message.data).toMatchObject({
      message: { content: 'From the shop' },
      ...place,
    });
    expect(created?.type === 'conversation.created' && created.data).toMatchObject({
      conversation: place,
      visitor: { siteId: place.siteId },
    });
  });

  it('turns off an endpoint failing for a day, tells its admins, and an admin retries', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const endpoint = await addEndpoint(s, admin, ['conversation.created']);
    const path = `/api/webhooks/${endpoint.id}`;
    receiver.answer = (_request, res) => res.writeHead(500).end('internal error');

    await startVisitorChat(s);
    const current = async () =>
      (await api(s, 'GET', path, { token: admin.token })).body.endpoint as WebhookEndpoint;
    await waitFor(async () => (await current()).failingSince !== null);
    // Failing for some minutes is not enough: still on, retrying.
    await waitFor(() => receiver.requests.length >= 2);
    expect((await current()).enabled).toBe(true);

    // A day passes (as far as the endpoint knows); its next failure turns it off.
    await server.database.db.execute(
      sql`update webhook_endpoints set failing_since = now() - interval '25 hours'`,
    );
    await waitFor(async () => !(await current()).enabled, 10_000);
    const off = await current();
    expect(off.disabledReason).toMatch(
      /failed for more than a day \(last: HTTP 500: internal error\)/,
    );
    const [delivery] = await deliveriesOf(s, admin, endpoint.id);
    expect(delivery?.status).toBe('failed');
    expect(delivery?.nextAttemptAt).toBeNull();
    await waitFor(() =>
      smtp.received.some((m) => /stopped sending webhooks/.test(m.subject ?? '')),
    );
    const notice = smtp.received.find((m) => /stopped sending webhooks/.test(m.subject ?? ''));
    expect(notice?.to && 'text' in notice.to ? notice.to.text : '').toBe(admin.user.email);
    expect(notice?.text).toContain(receiver.url);
    expect(notice?.text).toContain('/settings/webhooks');

    // Off: nothing more is sent, and new events make no deliveries.
    const sent = receiver.requests.length;
    await startVisitorChat(s);
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.requests).toHaveLength(sent);
    expect(await deliveriesOf(s, admin, endpoint.id)).toHaveLength(1);

    // Retrying needs it on; on again, the failure state is gone, and "retry now" delivers.
    const retryPath = `${path}/deliveries/${delivery?.id}/retry`;
    expect((await api(s, 'POST', retryPath, { token: admin.token })).status).toBe(409);
    const on = await api(s, 'PATCH', path, { token: admin.token, body: { enabled: true } });
    expect(on.body.endpoint).toMatchObject({
      enabled: true,
      disabledReason: null,
      failingSince: null,
    });
    receiver.answer = (_request, res) => res.writeHead(204).end();
    const retried = await api(s, 'POST', retryPath, { token: admin.token });
    expect(retried.status).toBe(200);
    // Its attempts go on counting; the log lists them all, the retry's after the rest.
    const before = delivery?.attempts ?? 0;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(retried.body.delivery).toMatchObject({ status: 'pending', attempts: before });
    await waitFor(() => receiver.processed.length === 1);
    await waitFor(
      async () => (await deliveriesOf(s, admin, endpoint.id))[0]?.status === 'delivered',
    );
    const [done] = await deliveriesOf(s, admin, endpoint.id);
    expect(done?.attempts).toBe(before + 1);
    const detail = await api<WebhookDeliveryDetailReply>(
      s,
      'GET',
      `${path}/deliveries/${delivery?.id}`,
      { token: admin.token },
    );
    expect(detail.body.attempts.map((a) => [a.n, a.responseStatus])).toEqual([
      ...Array.from({ length: before }, (_, i) => [i + 1, 500]),
      [before + 1, 204],
    ]);
    expect((await api(s, 'POST', retryPath, { token: admin.token })).status).toBe(409);
  });

  it('shows each attempt and the event, and an admin resends a delivered event', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const endpoint = await addEndpoint(s, admin, ['conversation.created']);
    const path = `/api/webhooks/${endpoint.id}`;
    let failures = 1;
    receiver.answer = (_request, res) => {
      if (failures-- > 0) res.writeHead(500).end('busy, try later');
      else res.writeHead(202).end('{"queued":true}');
    };
    const chat = await startVisitorChat(s, 'Where is my order?');
    await waitFor(
      async () => (await deliveriesOf(s, admin, endpoint.id))[0]?.status === 'delivered',
    );
    const [original] = await deliveriesOf(s, admin, endpoint.id);
    const [first, second] = receiver.requests;

    // Every attempt, with its time, status or error, duration and answer; the event as sent.
    const detail = await api<WebhookDeliveryDetailReply>(
      s,
      'GET',
      `${path}/deliveries/${original?.id}`,
      { token: admin.token },
    );
    expect(detail.status).toBe(200);
    expect(detail.body.delivery).toEqual(original);
    expect(detail.body.attempts).toMatchObject([
      { n: 1, responseStatus: 500, error: 'HTTP 500', answer: 'busy, try later' },
      { n: 2, responseStatus: 202, error: null, answer: '{"queued":true}' },
    ]);
    for (const [attempt, request] of [
      [detail.body.attempts[0], first],
      [detail.body.attempts[1], second],
    ] as const) {
      expect(attempt?.latencyMs).toBeGreaterThanOrEqual(0);
      const sentAt = Date.parse(attempt?.at ?? '');
      expect(Math.abs(sentAt - (request?.at ?? 0))).toBeLessThan(1000);
    }
    expect(detail.body.body).toBe(first?.raw);
    expect(JSON.parse(detail.body.body)).toMatchObject({
      id: original?.eventId,
      type: 'conversation.created',
      data: { conversation: { id: chat.started.conversation.id } },
    });
    const elsewhere = await api(
      s,
      'GET',
      `/api/webhooks/${randomUUID()}/deliveries/${original?.id}`,
      {
        token: admin.token,
      },
    );
    expect(elsewhere.status).toBe(404);

    // Resending is for admins, and never for a read-only token, even an admin's.
    const resendPath = `${path}/deliveries/${original?.id}/resend`;
    const readToken = await api(s, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Reports', scope: 'read' },
    });
    expect(readToken.status).toBe(201);
    const byReadToken = await api(s, 'POST', resendPath, { token: readToken.body.secret });
    expect(byReadToken.status).toBe(403);
    expect(byReadToken.body.error.code).toBe('forbidden');
    expect((await api(s, 'POST', resendPath, { token: agent.token })).status).toBe(403);
    expect((await api(s, 'POST', resendPath)).status).toBe(401);
    expect(await deliveriesOf(s, admin, endpoint.id)).toHaveLength(1);

    // A resend is a new delivery of the same event; asked for twice at once while it is
    // pending, it is one delivery (the second request gets it back).
    let hold = true;
    receiver.answer = (_request, res) => {
      if (hold) return; // no answer: cut off, and retried
      res.writeHead(204).end();
    };
    const resends = await Promise.all([
      api<WebhookDeliveryReply>(s, 'POST', resendPath, { token: admin.token }),
      api<WebhookDeliveryReply>(s, 'POST', resendPath, { token: admin.token }),
    ]);
    expect(resends.map((r) => r.status).sort()).toEqual([200, 202]);
    const [resent, again] = resends.map((r) => r.body.delivery);
    expect(again?.id).toBe(resent?.id);
    expect(resent).toMatchObject({
      eventId: original?.eventId,
      eventType: 'conversation.created',
      conversationId: chat.started.conversation.id,
      status: 'pending',
      resendOf: original?.id,
    });
    expect(resent?.id).not.toBe(original?.id);
    // Once more, while it still waits for an answer: still the same one.
    const third = await api<WebhookDeliveryReply>(s, 'POST', resendPath, { token: admin.token });
    expect(third.status).toBe(200);
    expect(third.body.delivery.id).toBe(resent?.id);
    // A delivery that is not delivered is not resent (a failed one is retried instead).
    const pendingResend = `${path}/deliveries/${resent?.id}/resend`;
    expect((await api(s, 'POST', pendingResend, { token: admin.token })).status).toBe(409);

    hold = false;
    await waitFor(
      async () =>
        (await deliveriesOf(s, admin, endpoint.id)).find((d) => d.id === resent?.id)?.status ===
        'delivered',
      10_000,
    );
    const log = await deliveriesOf(s, admin, endpoint.id);
    expect(log.map((d) => [d.id, d.eventId, d.status])).toEqual([
      [resent?.id, original?.eventId, 'delivered'],
      [original?.id, original?.eventId, 'delivered'],
    ]);
    // The receiver got the same body again, signed afresh with the endpoint's secret; handling
    // each event id once, it did not process it twice.
    const last = receiver.requests.at(-1);
    expect(last?.raw).toBe(first?.raw);
    expect(last?.verified).toBe(true);
    expect(last?.headers['parley-event-id']).toBe(original?.eventId);
    expect(receiver.processed).toHaveLength(1);
    const resentDetail = await api<WebhookDeliveryDetailReply>(
      s,
      'GET',
      `${path}/deliveries/${resent?.id}`,
      { token: admin.token },
    );
    expect(resentDetail.body.body).toBe(first?.raw);
    const attempts = resentDetail.body.attempts;
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts[0]).toMatchObject({
      n: 1,
      responseStatus: null,
      error: 'No answer within 800 ms',
    });
    expect(attempts.at(-1)).toMatchObject({ n: attempts.length, responseStatus: 204, error: null });
    // Delivered once more: it can be resent again.
    const later = await api(s, 'POST', resendPath, { token: admin.token });
    expect(later.status).toBe(202);
    expect(later.body.delivery.id).not.toBe(resent?.id);
  });

  it('gives a retried delivery a new round of retries, its attempts counting on', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const endpoint = await addEndpoint(s, admin, ['conversation.created']);
    receiver.answer = (_request, res) => res.writeHead(503).end('maintenance');
    await startVisitorChat(s);
    await waitFor(async () => {
      const [d] = await deliveriesOf(s, admin, endpoint.id);
      return d?.attempts === 1 && d.responseStatus === 503;
    });
    // Its 16 attempts are spent (as far as it knows): failed for good.
    await server.database.db.execute(
      sql`update webhook_deliveries set status = 'failed', attempts = 16, next_attempt_at = null`,
    );
    const [failed] = await deliveriesOf(s, admin, endpoint.id);
    const retryPath = `/api/webhooks/${endpoint.id}/deliveries/${failed?.id}/retry`;
    const retried = await api(s, 'POST', retryPath, { token: admin.token });
    expect(retried.body.delivery).toMatchObject({ status: 'pending', attempts: 16 });

    // The retry's first attempt fails too: retried later, not failed for good. An attempt counts
    // from its start, so the delivery is read once the attempt's answer is recorded.
    await waitFor(async () => {
      const [d] = await deliveriesOf(s, admin, endpoint.id);
      return d?.attempts === 17 && (d.responseStatus !== null || d.error !== null);
    });
    const [again] = await deliveriesOf(s, admin, endpoint.id);
    expect(again).toMatchObject({ status: 'pending', responseStatus: 503 });
    expect(again?.nextAttemptAt).not.toBeNull();
    receiver.answer = (_request, res) => res.writeHead(204).end();
    await waitFor(
      async () => (await deliveriesOf(s, admin, endpoint.id))[0]?.status === 'delivered',
    );
    expect((await deliveriesOf(s, admin, endpoint.id))[0]?.attempts).toBe(18);
  });

  it('lets an endpoint be deleted while a request to it is on its way', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const endpoint = await addEndpoint(s, admin, ['conversation.created']);
    let answer: (() => void) | undefined;
    receiver.answer = (_request, res) => {
      answer = () => res.writeHead(204).end();
    };
    await startVisitorChat(s, 'Hello?');
    await waitFor(() => answer !== undefined);
    const deleted = await api(s, 'DELETE', `/api/webhooks/${endpoint.id}`, { token: admin.token });
    expect(deleted.status).toBe(204);
    answer?.();

    // The attempt that was on the wire ends there: nothing is left of the endpoint to record it
    // in, and its job is done, not failing over a delivery that is gone.
    const job = async () => {
      const result = await server.database.db.execute(
        sql`select status, last_error as "lastError" from jobs where kind = 'deliver-webhook'`,
      );
      return (result as unknown as { rows: Array<{ status: string; lastError: string | null }> })
        .rows;
    };
    await waitFor(async () => (await job()).every((j) => j.status === 'done'));
    expect(await job()).toEqual([{ status: 'done', lastError: null }]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('cuts off a slow receiver and a huge reply, and does not follow redirects', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const endpoint = await addEndpoint(s, admin, ['rating.given']);

    // A ping is an event like any other: signed, logged, in the same envelope.
    const ok = await pingSettles(s, admin, endpoint.id);
    expect(ok).toMatchObject({ eventType: 'ping', status: 'delivered', responseStatus: 200 });
    expect(receiver.processed).toEqual([
      expect.objectContaining({
        id: ok.eventId,
        type: 'ping',
        data: { endpoint: { id: endpoint.id, url: receiver.url } },
      }),
    ]);

    receiver.answer = () => {}; // never answers
    const slow = await pingSettles(s, admin, endpoint.id);
    expect(slow).toMatchObject({
      status: 'failed',
      attempts: 1,
      responseStatus: null,
      error: 'No answer within 800 ms',
    });
    expect(slow.latencyMs).toBeLessThan(3000);

    receiver.answer = endless(200);
    const cutOffBefore = receiver.cutOff;
    const huge = await pingSettles(s, admin, endpoint.id);
    expect(huge).toMatchObject({ status: 'delivered', responseStatus: 200, error: null });
    expect(huge.latencyMs).toBeLessThan(800);
    await waitFor(() => receiver.cutOff > cutOffBefore);
    // What the log keeps of an answer is bounded: its start, on one line.
    const hugeDetail = await api<WebhookDeliveryDetailReply>(
      s,
      'GET',
      `/api/webhooks/${endpoint.id}/deliveries/${huge.id}`,
      { token: admin.token },
    );
    expect(hugeDetail.body.attempts).toHaveLength(1);
    expect(hugeDetail.body.attempts[0]?.answer).toMatch(/^x{300}…$/);

    receiver.answer = endless(500);
    const hugeError = await pingSettles(s, admin, endpoint.id);
    expect(hugeError).toMatchObject({ status: 'failed', responseStatus: 500 });
    expect(hugeError.error).toMatch(/^HTTP 500: x+…$/);
    expect(hugeError.error?.length).toBeLessThan(320);

    receiver.answer = (_request, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    const redirected = await pingSettles(s, admin, endpoint.id);
    expect(redirected).toMatchObject({ status: 'failed', responseStatus: 302 });
    expect(redirected.error).toMatch(/redirects are not followed/);

    // Only the first ping and the one answered 200 (however long) went through.
    expect(receiver.processed.map((e) => e.id)).toEqual([ok.eventId, huge.eventId]);
  });
});

describe('webhooks to private addresses', () => {
  const server = useServer({ env: { WEBHOOKS_TIMEOUT_MS: '800' } });

  it('are refused at save, and at delivery when the name resolves to one', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const port = new URL(receiver.url).port;
    const list = await api(s, 'GET', '/api/webhooks', { token: admin.token });
    expect(list.body.privateAddressesAllowed).toBe(false);
    for (const url of [
      receiver.url,
      `http://localhost:${port}/hooks`,
      'http://[::1]/hooks',
      'http://[::ffff:127.0.0.1]/hooks',
      'http://[::ffff:a9fe:a9fe]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/hooks',
      'http://192.168.1.10/hooks',
      'http://[fd00::1]/hooks',
      'http://0.0.0.0/',
      'http://2130706433/',
    ]) {
      const res = await api(s, 'POST', '/api/webhooks', {
        token: admin.token,
        body: { url, events: ['conversation.created'] },
      });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(/not a public address/);
      expect(res.body.error.details).toEqual([{ path: 'url', message: res.body.error.message }]);
    }

    // Saved while `localhost` answered with a public address (as DNS rebinding would have it);
    // it answers 127.0.0.1 now, and the delivery is refused before anything is sent.
    const [row] = await server.database.db
      .insert(webhookEndpoints)
      .values({
        url: `http://localhost:${port}/hooks`,
        events: ['conversation.created'],
        secret: 'whsec_test',
        createdBy: admin.user.id,
      })
      .returning();
    const id = row?.id ?? '';
    const moved = await api(s, 'PATCH', `/api/webhooks/${id}`, {
      token: admin.token,
      body: { url: 'http://127.0.0.1/' },
    });
    expect(moved.status).toBe(400);

    await startVisitorChat(s);
    await waitFor(async () => Boolean((await deliveriesOf(s, admin, id))[0]?.error));
    const [delivery] = await deliveriesOf(s, admin, id);
    const refused = /^localhost resolves to (127\.0\.0\.1|::1), not a public address/;
    expect(delivery?.error).toMatch(refused);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null });
    const ping = await pingSettles(s, admin, id);
    expect(ping.error).toMatch(refused);
    expect(receiver.requests).toHaveLength(0);
  });
});
