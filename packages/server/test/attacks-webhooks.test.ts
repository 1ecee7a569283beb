import { randomUUID } from 'node:crypto';
import type {
  CreateApiTokenReply,
  WebhookDelivery,
  WebhookDeliveryListReply,
  WebhookDeliveryReply,
  WebhookEndpointCreatedReply,
} from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refusal } from './attack-kit.js';
import {
  api,
  createAdmin,
  createAgent,
  createVisitor,
  startVisitorChat,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import { useServer } from './harness.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

// Issue 32, item 18: the delivery log's "Resend" sends a delivered event again. Only an admin
// may (never a read-only token, an agent or a bot), only through the endpoint the delivery
// belongs to, once however often it is asked while that resend is pending, and never to an
// endpoint that is turned off or deleted. Each refusal leaves the log as it was.
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const server = useServer({
  env: {
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOKS_RETRY_DELAY_MS: '150',
    WEBHOOKS_TIMEOUT_MS: '800',
  },
});

async function addEndpoint(admin: SignedInAgent): Promise<string> {
  const res = await api<WebhookEndpointCreatedReply>(server.current, 'POST', '/api/webhooks', {
    token: admin.token,
    body: { url: receiver.url, events: ['conversation.created'] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  receiver.secret = res.body.secret;
  return res.body.endpoint.id;
}

async function logOf(admin: SignedInAgent, endpointId: string): Promise<WebhookDelivery[]> {
  const res = await api<WebhookDeliveryListReply>(
    server.current,
    'GET',
    `/api/webhooks/${endpointId}/deliveries`,
    { token: admin.token },
  );
  expect(res.status).toBe(200);
  return res.body.items;
}

/** A test event to the endpoint, once it has been delivered. */
async function deliveredPing(admin: SignedInAgent, endpointId: string): Promise<WebhookDelivery> {
  const sent = await api<WebhookDeliveryReply>(
    server.current,
    'POST',
    `/api/webhooks/${endpointId}/test`,
    { token: admin.token },
  );
  expect(sent.status).toBe(202);
  let found: WebhookDelivery | undefined;
  await waitFor(async () => {
    found = (await logOf(admin, endpointId)).find((d) => d.id === sent.body.delivery.id);
    return found?.status === 'delivered';
  });
  return found as WebhookDelivery;
}

/** Every delivery and attempt there is: what a refused resend must leave as it was. */
async function deliveriesState(): Promise<unknown> {
  const result = await server.database.db.execute(sql`select
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from webhook_deliveries t) as deliveries,
    (select count(*)::int from webhook_deliveries) as count`);
  return (result as unknown as { rows: unknown[] }).rows[0];
}

async function createToken(
  admin: SignedInAgent,
  body: { name: string; scope: 'read' | 'full'; bot?: { name: string } },
): Promise<string> {
  const res = await api<CreateApiTokenReply>(server.current, 'POST', '/api/tokens', {
    token: admin.token,
    body,
  });
  expect(res.status).toBe(201);
  return res.body.secret;
}

describe('attacks: resending a webhook delivery', () => {
  it('is for admins: a read token, an agent, a bot, a visitor and nobody are refused', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const endpointId = await addEndpoint(admin);
    const ping = await deliveredPing(admin, endpointId);
    const resend = `/api/webhooks/${endpointId}/deliveries/${ping.id}/resend`;
    const readToken = await createToken(admin, { name: 'Reports', scope: 'read' });
    const botToken = await createToken(admin, {
      name: 'Triage bot',
      scope: 'full',
      bot: { name: 'Triage' },
    });
    const visitor = await createVisitor(s);

    const before = await deliveriesState();
    const refused = [
      [readToken, 403, 'forbidden'],
      [agent.token, 403, 'forbidden'],
      [botToken, 403, 'forbidden'],
      [visitor.visitorToken, 401, 'unauthorized'],
      [undefined, 401, 'unauthorized'],
    ] as const;
    for (const [token, status, code] of refused) {
      const res = await api(s, 'POST', resend, { token });
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
    // The read token may look at the log, and that is all.
    expect(
      (await api(s, 'GET', resend.replace(/\/resend$/, ''), { token: readToken })).status,
    ).toBe(200);
    expect(await deliveriesState()).toEqual(before);
    expect(receiver.requests).toHaveLength(1);

    // The admin's own request is what the refused ones would have been: a new delivery, sent.
    const mine = await api<WebhookDeliveryReply>(s, 'POST', resend, { token: admin.token });
    expect(mine.status).toBe(202);
    expect(mine.body.delivery).toMatchObject({ eventId: ping.eventId, resendOf: ping.id });
    await waitFor(() => receiver.requests.length === 2);
    expect(receiver.requests[1]?.raw).toBe(receiver.requests[0]?.raw);
  });

  it("reaches a delivery through its own endpoint only, and never another's", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const mine = await addEndpoint(admin);
    const other = await addEndpoint(admin);
    const ping = await deliveredPing(admin, mine);
    const before = await deliveriesState();

    for (const path of [
      `/api/webhooks/${other}/deliveries/${ping.id}`,
      `/api/webhooks/${randomUUID()}/deliveries/${ping.id}`,
      `/api/webhooks/${mine}/deliveries/${randomUUID()}`,
    ]) {
      const opened = await api(s, 'GET', path, { token: admin.token });
      expect(opened.status, path).toBe(404);
      expect(JSON.stringify(opened.body)).not.toContain(ping.eventId);
      const resent = await api(s, 'POST', `${path}/resend`, { token: admin.token });
      expect(resent.status, path).toBe(404);
      expect(resent.body.error.code).toBe('not_found');
    }
    const malformed = await api(s, 'POST', `/api/webhooks/${mine}/deliveries/1%20or%201=1/resend`, {
      token: admin.token,
    });
    expect(malformed.status).toBe(400);
    expect(await deliveriesState()).toEqual(before);
    // Through its own endpoint it opens.
    expect(
      (await api(s, 'GET', `/api/webhooks/${mine}/deliveries/${ping.id}`, { token: admin.token }))
        .status,
    ).toBe(200);
  });

  it('asked for again and again while pending, sends the event once more, not once per ask', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const endpointId = await addEndpoint(admin);
    // An event of a chat (a test event is tried once; this one is retried until delivered).
    await startVisitorChat(s, 'Where is my order?');
    let event: WebhookDelivery | undefined;
    await waitFor(async () => {
      [event] = await logOf(admin, endpointId);
      return event?.status === 'delivered';
    });
    const resend = `/api/webhooks/${endpointId}/deliveries/${event?.id}/resend`;
    // The receiver holds its answer: the resend stays pending meanwhile.
    let hold = true;
    receiver.answer = (_request, res) => {
      if (!hold) res.writeHead(204).end();
    };

    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        api<WebhookDeliveryReply>(s, 'POST', resend, { token: admin.token }),
      ),
    );
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    const ids = new Set(burst.map((r) => r.body.delivery.id));
    expect(ids.size).toBe(1);
    const again = await api<WebhookDeliveryReply>(s, 'POST', resend, { token: admin.token });
    expect([again.status, again.body.delivery.id]).toEqual([200, [...ids][0]]);
    expect(await logOf(admin, endpointId)).toHaveLength(2);

    hold = false;
    await waitFor(
      async () => (await logOf(admin, endpointId)).every((d) => d.status === 'delivered'),
      10_000,
    );
    expect(await logOf(admin, endpointId)).toHaveLength(2);
    // The event went out once more (its held attempts being retries of that one delivery).
    expect(new Set(receiver.requests.map((r) => r.event.id))).toEqual(new Set([event?.eventId]));
    expect(receiver.processed).toHaveLength(1);
  });

  it('refuses what is not delivered, and a turned-off or deleted endpoint, saying why', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const endpointId = await addEndpoint(admin);
    const ping = await deliveredPing(admin, endpointId);
    const resend = `/api/webhooks/${endpointId}/deliveries/${ping.id}/resend`;

    // A failed delivery is retried, not resent.
    receiver.answer = (_request, res) => res.writeHead(500).end('down');
    const failing = await api<WebhookDeliveryReply>(s, 'POST', `/api/webhooks/${endpointId}/test`, {
      token: admin.token,
    });
    await waitFor(async () =>
      (await logOf(admin, endpointId)).some(
        (d) => d.id === failing.body.delivery.id && d.status === 'failed',
      ),
    );
    const failed = await api(
      s,
      'POST',
      `/api/webhooks/${endpointId}/deliveries/${failing.body.delivery.id}/resend`,
      { token: admin.token },
    );
    expect(failed.status).toBe(409);
    expect(failed.body).toEqual(
      refusal('conflict', 'Only a delivered event can be resent: retry a failed one'),
    );

    // Turned off: nothing is sent to it, a test event included.
    const off = await api(s, 'PATCH', `/api/webhooks/${endpointId}`, {
      token: admin.token,
      body: { enabled: false },
    });
    expect(off.status).toBe(200);
    const before = await deliveriesState();
    const requests = receiver.requests.length;
    const refused = await api(s, 'POST', resend, { token: admin.token });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(
      refusal('conflict', 'This endpoint is turned off: turn it on to resend events to it'),
    );
    expect(await deliveriesState()).toEqual(before);

    // Deleted: its log went with it.
    expect(
      (await api(s, 'DELETE', `/api/webhooks/${endpointId}`, { token: admin.token })).status,
    ).toBe(204);
    const gone = await api(s, 'POST', resend, { token: admin.token });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual(refusal('not_found', 'Webhook endpoint not found'));
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(requests);
  });
});
