import type {
  BanListReply,
  BanReply,
  IdentitySecretReply,
  VisitorSessionReply,
} from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { createHmac, randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import {
  api,
  createAdmin,
  createAgent,
  handshakeError,
  nextEvent,
  type SignedInAgent,
  type VisitorClient,
} from './factories.js';
import { track, useServer, type TestServer } from './harness.js';
import { startWithProof } from './pow.js';

// Visitors kept out (issue 36, item 7): agents ban a visitor by their record, their address or
// a network, for a time or until lifted; a banned visitor's every way in answers `banned` and
// nothing they send is stored. Requests come "from" addresses through X-Forwarded-For, which
// the server believes with TRUST_PROXY, as behind the proxy of a real deployment.

const server = useServer({ env: { TRUST_PROXY: 'true' } });

const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function session(s: TestServer, ip: string, visitorToken?: string) {
  return api<VisitorSessionReply>(s, 'POST', '/api/visitors/session', {
    body: visitorToken ? { visitorToken } : {},
    headers: from(ip),
  });
}

/** A widget's socket from `ip`: connected, or refused with the handshake's error code. */
async function socketFrom(
  s: TestServer,
  visitorToken: string,
  ip: string,
): Promise<{ socket: VisitorClient } | { refused: unknown }> {
  const socket: VisitorClient = track(
    io(`${s.url}/visitor`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { visitorToken },
      extraHeaders: from(ip),
    }),
  );
  const result = await Promise.race([
    new Promise<'connected'>((resolve) => socket.once('connect', () => resolve('connected'))),
    handshakeError(socket),
  ]);
  if (result === 'connected') return { socket };
  return { refused: (result.data as { code?: string } | undefined)?.code };
}

/** A visitor from `ip` with an open chat: their session, socket and conversation. */
async function chatter(s: TestServer, ip: string) {
  const started = await session(s, ip);
  expect(started.status).toBe(201);
  const connected = await socketFrom(s, started.body.visitorToken, ip);
  if (!('socket' in connected)) throw new Error(`refused: ${String(connected.refused)}`);
  const reply = await startWithProof(connected.socket, {
    content: 'Hello',
    clientId: randomUUID(),
  });
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return {
    token: started.body.visitorToken,
    visitorId: started.body.visitor.id,
    socket: connected.socket,
    conversationId: reply.data.conversation.id,
  };
}

const ban = (s: TestServer, agent: SignedInAgent, body: Record<string, unknown>) =>
  api<BanReply>(s, 'POST', '/api/bans', { token: agent.token, body });

/**
 * What a visitor could have stored: compared before and after they try. Presence columns
 * (online, last seen) move as sockets close, so only what a visitor writes is compared.
 */
async function stored(s: TestServer) {
  const result = await server.database.db.execute(sql`select
    (select count(*)::int from messages) as messages,
    (select count(*)::int from conversations) as conversations,
    (select count(*)::int from page_views) as page_views,
    (select count(*)::int from attachments) as attachments,
    (select count(*)::int from visitors) as visitors,
    (select count(*)::int from jobs) as jobs,
    (select md5(string_agg((t.id, t.name, t.email, t.ip, t.attributes, t.current_url)::text, '|'
      order by t.id)) from visitors t) as visitor_rows`);
  void s;
  return (result as unknown as { rows: unknown[] }).rows[0];
}

async function team(s: TestServer) {
  const admin = await createAdmin(s);
  return { admin, agent: await createAgent(s, admin) };
}

describe('bans', () => {
  it('bans a chatting visitor: their widget is told and closed, and every way to store answers banned', async () => {
    const s = server.current;
    const { agent } = await team(s);
    const visitor = await chatter(s, '198.51.100.10');

    const told = nextEvent(visitor.socket, 'visitor.banned');
    const closed = new Promise<string>((resolve) => visitor.socket.once('disconnect', resolve));
    const made = await ban(s, agent, { visitorId: visitor.visitorId, reason: 'Spam' });
    expect(made.status).toBe(201);
    expect(made.body.ban).toMatchObject({
      visitorId: visitor.visitorId,
      address: null,
      reason: 'Spam',
      expiresAt: null,
      createdBy: { id: agent.user.id },
    });
    await told;
    expect(await closed).toBe('io server disconnect');

    const before = await stored(s);
    const ip = '198.51.100.10';
    const headers = from('192.0.2.99'); // from anywhere: the ban is of the record
    const refusals = [
      await session(s, '192.0.2.99', visitor.token),
      await api(s, 'PATCH', '/api/visitors/me', {
        token: visitor.token,
        headers,
        body: { name: 'Mallory' },
      }),
      await api(s, 'PATCH', '/api/visitors/me/attributes', {
        token: visitor.token,
        headers,
        body: { attributes: { plan: 'free' } },
      }),
      await api(s, 'POST', '/api/visitors/me/identity', {
        token: visitor.token,
        headers,
        body: { userId: 'u1', userHash: 'a'.repeat(64) },
      }),
      await api(s, 'POST', '/api/messages', {
        token: visitor.token,
        headers,
        body: { conversationId: visitor.conversationId, content: 'again', clientId: randomUUID() },
      }),
      await api(s, 'POST', `/api/conversations/${visitor.conversationId}/transcript`, {
        token: visitor.token,
        headers,
        body: { email: 'me@example.com' },
      }),
      await api(s, 'PUT', `/api/attachments/${randomUUID()}?name=a.txt`, {
        token: visitor.token,
        headers: { ...headers, 'content-type': 'text/plain' },
        raw: 'hello',
      }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'banned' } });
    }
    // The socket cannot come back, from its address or another.
    expect(await socketFrom(s, visitor.token, ip)).toEqual({ refused: 'banned' });
    expect(await socketFrom(s, visitor.token, '192.0.2.99')).toEqual({ refused: 'banned' });
    expect(await stored(s)).toEqual(before);

    // Others chat on; the banned visitor's conversation stays as it was, for the agents.
    const other = await chatter(s, ip);
    expect(other.visitorId).not.toBe(visitor.visitorId);
    const conversation = await api(s, 'GET', `/api/conversations/${visitor.conversationId}`, {
      token: agent.token,
    });
    expect(conversation.status).toBe(200);
  });

  it('bans an address and a network: new sessions and open widgets from there are refused, others are not', async () => {
    const s = server.current;
    const { agent } = await team(s);
    const visitor = await chatter(s, '203.0.113.7');
    const neighbour = await chatter(s, '203.0.113.7'); // another browser at the same address
    const elsewhere = await chatter(s, '192.0.2.1');

    const closed = new Promise((resolve) => neighbour.socket.once('disconnect', resolve));
    const made = await ban(s, agent, { visitorId: visitor.visitorId, includeAddress: true });
    expect(made.status).toBe(201);
    expect(made.body.ban).toMatchObject({ visitorId: visitor.visitorId, address: '203.0.113.7' });
    await closed;
    expect(elsewhere.socket.connected).toBe(true);

    const before = await stored(s);
    const fresh = await session(s, '203.0.113.7');
    expect(fresh.status).toBe(403);
    expect(fresh.body).toMatchObject({ error: { code: 'banned' } });
    // A token of another visitor, used from the banned address, is refused too.
    const used = await api(s, 'PATCH', '/api/visitors/me', {
      token: elsewhere.token,
      headers: from('203.0.113.7'),
      body: { name: 'Eve' },
    });
    expect(used.body).toMatchObject({ error: { code: 'banned' } });
    expect(await socketFrom(s, elsewhere.token, '203.0.113.7')).toEqual({ refused: 'banned' });
    expect(await stored(s)).toEqual(before);
    expect((await session(s, '203.0.113.8')).status).toBe(201);

    // A network covers every address in it; IPv4 seen on an IPv6 socket is the same address.
    expect((await ban(s, agent, { address: '198.51.100.0/24', reason: 'Bot farm' })).status).toBe(
      201,
    );
    expect((await session(s, '198.51.100.200')).body).toMatchObject({
      error: { code: 'banned' },
    });
    expect((await session(s, '::ffff:198.51.100.9')).body).toMatchObject({
      error: { code: 'banned' },
    });
    expect((await session(s, '198.51.101.1')).status).toBe(201);
  });

  it('keeps a banned verified person banned on a new browser: their setUser moves nothing to them', async () => {
    const s = server.current;
    const { admin, agent } = await team(s);
    const secret = await api<IdentitySecretReply>(s, 'GET', '/api/settings/identity/secret', {
      token: admin.token,
    });
    const hash = createHmac('sha256', secret.body.secret).update('cust-7').digest('hex');
    const first = await chatter(s, '192.0.2.30');
    const verified = await api<VisitorSessionReply>(s, 'POST', '/api/visitors/me/identity', {
      token: first.token,
      headers: from('192.0.2.30'),
      body: { id: 'cust-7', hash },
    });
    expect(verified.status).toBe(200);
    expect((await ban(s, agent, { visitorId: verified.body.visitor.id })).status).toBe(201);

    // Another browser, another address: an anonymous visitor who chats, then the site names them.
    const laptop = await chatter(s, '192.0.2.31');
    const before = await stored(s);
    const claimed = await api(s, 'POST', '/api/visitors/me/identity', {
      token: laptop.token,
      headers: from('192.0.2.31'),
      body: { id: 'cust-7', hash },
    });
    expect(claimed.status).toBe(403);
    expect(claimed.body).toMatchObject({ error: { code: 'banned' } });
    expect(await stored(s)).toEqual(before);
    const result = await server.database.db.execute(
      sql`select visitor_id from conversations where id = ${laptop.conversationId}`,
    );
    const [owner] = (result as unknown as { rows: Array<{ visitor_id: string }> }).rows;
    expect(owner?.visitor_id).toBe(laptop.visitorId);
  });

  it('lets a visitor in again once the ban expires or is lifted', async () => {
    const s = server.current;
    const { agent } = await team(s);
    const first = await session(s, '192.0.2.10');
    const soon = new Date(Date.now() + 60_000).toISOString();
    const made = await ban(s, agent, {
      visitorId: first.body.visitor.id,
      includeAddress: true,
      expiresAt: soon,
    });
    expect(made.body.ban.expiresAt).toBe(soon);
    expect((await session(s, '192.0.2.10')).status).toBe(403);

    // An hour later, as far as the ban knows.
    await server.database.db.execute(
      sql`update visitor_bans set expires_at = now() - interval '1 second'`,
    );
    expect((await session(s, '192.0.2.10', first.body.visitorToken)).status).toBe(201);
    const listed = await api<BanListReply>(s, 'GET', '/api/bans', { token: agent.token });
    expect(listed.body.bans).toEqual([]);

    const again = await ban(s, agent, { visitorId: first.body.visitor.id });
    expect(again.status).toBe(201);
    expect((await session(s, '192.0.2.10', first.body.visitorToken)).status).toBe(403);
    const after = await api<BanListReply>(s, 'GET', '/api/bans', { token: agent.token });
    expect(after.body.bans.map((b) => b.id)).toEqual([again.body.ban.id]);

    const lifted = await api(s, 'DELETE', `/api/bans/${again.body.ban.id}`, { token: agent.token });
    expect(lifted.status).toBe(204);
    expect((await session(s, '192.0.2.10', first.body.visitorToken)).status).toBe(201);
    const twice = await api(s, 'DELETE', `/api/bans/${again.body.ban.id}`, { token: agent.token });
    expect(twice.status).toBe(404);
  });

  it('refuses the abuse cases: visitors, unknown visitors, bad input; the same ban twice is one', async () => {
    const s = server.current;
    const { agent } = await team(s);
    const visitor = await session(s, '192.0.2.20');
    const made = await ban(s, agent, { visitorId: visitor.body.visitor.id, reason: 'Rude' });
    expect(made.status).toBe(201);

    // A visitor can neither ban, nor list, nor lift.
    const other = await session(s, '192.0.2.21');
    const token = other.body.visitorToken;
    expect(
      (await api(s, 'POST', '/api/bans', { token, body: { visitorId: other.body.visitor.id } }))
        .status,
    ).toBe(401);
    expect((await api(s, 'GET', '/api/bans', { token })).status).toBe(401);
    expect((await api(s, 'DELETE', `/api/bans/${made.body.ban.id}`, { token })).status).toBe(401);
    expect((await api(s, 'POST', '/api/bans', { body: { address: '192.0.2.21' } })).status).toBe(
      401,
    );

    // The same ban again is the one in force.
    const twice = await ban(s, agent, { visitorId: visitor.body.visitor.id, reason: 'Again' });
    expect(twice.status).toBe(200);
    expect(twice.body.ban.id).toBe(made.body.ban.id);
    const listed = await api<BanListReply>(s, 'GET', '/api/bans', { token: agent.token });
    expect(listed.body.bans).toHaveLength(1);

    const unknown = await ban(s, agent, { visitorId: randomUUID() });
    expect(unknown.status).toBe(404);
    for (const body of [
      {},
      { reason: 'no one' },
      { address: 'not-an-address' },
      { address: '10.0.0.0/8' }, // wider than a household or an office
      { address: '2001:db8::/32' },
      { includeAddress: true },
      { visitorId: visitor.body.visitor.id, expiresAt: new Date(Date.now() - 1000).toISOString() },
      { visitorId: visitor.body.visitor.id, includeAddress: true, address: '192.0.2.1' },
      { visitorId: visitor.body.visitor.id, unknown: 1 },
    ]) {
      const refused = await ban(s, agent, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(
      (await api(s, 'DELETE', `/api/bans/${randomUUID()}`, { token: agent.token })).status,
    ).toBe(404);
  });
});
