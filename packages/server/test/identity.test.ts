import { createHmac, randomUUID } from 'node:crypto';
import type {
  ErrorBody,
  IdentitySecretReply,
  IdentitySettingsReply,
  MessageListReply,
  SearchReply,
  Visitor,
  VisitorReply,
  VisitorSessionReply,
} from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  connectVisitor,
  createAdmin,
  createAgent,
  createVisitor,
  handshakeError,
  nextEvent,
  openSocket,
  startVisitorChat,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Issue 19, parts 4 and 5: verified visitors. The site signs its signed-in person's id with the
// secret of Settings → Identity; a claim whose hash verifies makes the browser that person's
// visitor, with one history on every device. Nothing unsigned, and no email, reaches it.
const server = useServer();

const sign = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text).digest('hex');

async function identity(s: TestServer) {
  const admin = await createAdmin(s);
  const secret = await secretOf(s, admin);
  return { admin, secret };
}

async function secretOf(s: TestServer, admin: SignedInAgent): Promise<string> {
  const res = await api<IdentitySecretReply>(s, 'GET', '/api/settings/identity/secret', {
    token: admin.token,
  });
  expect(res.status).toBe(200);
  return res.body.secret;
}

/** `setUser`, as the widget sends it: the session to go on with, or the refusal. */
const claim = (s: TestServer, token: string, body: Record<string, unknown>) =>
  api<VisitorSessionReply & Partial<ErrorBody>>(s, 'POST', '/api/visitors/me/identity', {
    token,
    body,
  });

/** The texts people wrote that a visitor token can read in a conversation, or the refusal's status. */
async function readable(s: TestServer, token: string, conversationId: string) {
  const res = await api<MessageListReply>(
    s,
    'GET',
    `/api/conversations/${conversationId}/messages`,
    { token },
  );
  if (res.status !== 200) return res.status;
  return res.body.messages.filter((m) => m.sender !== 'system').map((m) => m.content);
}

describe('identity settings', () => {
  it('admins see, rotate and set the secret; agents and visitors cannot read it', async () => {
    const s = server.current;
    const { admin, secret } = await identity(s);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // Read again: the same secret (made once, kept).
    expect(await secretOf(s, admin)).toBe(secret);

    const agent = await createAgent(s, admin);
    const asAgent = await api(s, 'GET', '/api/settings/identity', { token: agent.token });
    expect(asAgent.status).toBe(403);
    const visitor = await createVisitor(s);
    const asVisitor = await api(s, 'GET', '/api/settings/identity', {
      token: visitor.visitorToken,
    });
    expect(asVisitor.status).toBe(401);

    const required = await api<IdentitySettingsReply>(s, 'PATCH', '/api/settings/identity', {
      token: admin.token,
      body: { requireVerification: true },
    });
    expect(required.body.settings).toMatchObject({ requireVerification: true });
    expect(required.body.settings).not.toHaveProperty('secret');
    const rotated = await api<IdentitySettingsReply>(s, 'POST', '/api/settings/identity/rotate', {
      token: admin.token,
    });
    expect(rotated.body.settings).not.toHaveProperty('secret');
    expect(rotated.body.settings.requireVerification).toBe(true);
    expect(await secretOf(s, admin)).not.toBe(secret);

    const bad = await api(s, 'PATCH', '/api/settings/identity', {
      token: admin.token,
      body: { requireVerification: 'yes', secret: 'mine' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });
});

describe('verified visitors', () => {
  it('a good hash makes the chatting visitor verified; a second device of the same user gets that history', async () => {
    const s = server.current;
    const { admin, secret } = await identity(s);
    const phone = await startVisitorChat(s, 'Where is my order A-1001?');
    const conversationId = phone.started.conversation.id;

    const verified = await claim(s, phone.session.visitorToken, {
      id: 'user-42',
      hash: sign(secret, 'user-42'),
      name: 'Vera Verified',
      email: 'Vera@Example.com',
    });
    expect(verified.status).toBe(200);
    // The anonymous visitor that chatted is the verified one now: same row, same history.
    expect(verified.body.visitor).toMatchObject({
      id: phone.session.visitor.id,
      externalId: 'user-42',
      name: 'Vera Verified',
      email: 'vera@example.com',
    });
    expect(verified.body.conversation?.id).toBe(conversationId);

    // Another browser, another device: a new anonymous visitor until it claims the same user.
    const laptop = await createVisitor(s);
    expect(laptop.conversation).toBeNull();
    expect(await readable(s, laptop.visitorToken, conversationId)).toBe(404);
    const same = await claim(s, laptop.visitorToken, {
      id: 'user-42',
      hash: sign(secret, 'user-42'),
    });
    expect(same.status).toBe(200);
    expect(same.body.visitor.id).toBe(phone.session.visitor.id);
    expect(same.body.conversation?.id).toBe(conversationId);
    expect(await readable(s, same.body.visitorToken, conversationId)).toEqual([
      'Where is my order A-1001?',
    ]);

    // Live too: the laptop's socket is in the verified visitor's room and may write there.
    const laptopSocket = await connectVisitor(s, same.body.visitorToken);
    const sent = await laptopSocket.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: 'Sent from the laptop',
      clientId: randomUUID(),
    });
    expect(sent.ok).toBe(true);
    expect(await readable(s, phone.session.visitorToken, conversationId)).toEqual([
      'Where is my order A-1001?',
      'Sent from the laptop',
    ]);
    // Each session's token resumes the verified visitor.
    const resumed = await api<VisitorSessionReply>(s, 'POST', '/api/visitors/session', {
      body: { visitorToken: same.body.visitorToken },
    });
    expect(resumed.body.visitor.externalId).toBe('user-42');
    expect(resumed.body.conversation?.id).toBe(conversationId);

    // Agents find the person by the site's id in the search.
    const found = await api<SearchReply>(s, 'GET', '/api/search?q=user-42', {
      token: admin.token,
    });
    expect(found.body.items.map((hit) => hit.conversation.id)).toContain(conversationId);
  });

  it('refuses a bad hash, a hash for another id and a stale timestamp with one error, whether or not the user exists', async () => {
    const s = server.current;
    const { secret } = await identity(s);
    const known = await startVisitorChat(s, 'My secret order');
    const ok = await claim(s, known.session.visitorToken, {
      id: 'known-user',
      hash: sign(secret, 'known-user'),
    });
    expect(ok.status).toBe(200);

    const intruder = await createVisitor(s);
    const attempts = [
      // Someone else's id with a made-up hash, and with the hash of their own id.
      { id: 'known-user', hash: 'ab'.repeat(32) },
      { id: 'known-user', hash: sign(secret, 'intruder') },
      { id: 'nobody-yet', hash: 'ab'.repeat(32) },
      { id: 'nobody-yet', hash: sign(secret, 'intruder') },
      // A hash signed with another key (a guess at the secret, or the old one).
      { id: 'known-user', hash: sign('not-the-secret', 'known-user') },
      // A timestamped hash presented without its time, and one too old.
      { id: 'known-user', hash: sign(secret, 'known-user\n1700000000') },
      {
        id: 'known-user',
        hash: sign(secret, 'known-user\n1700000000'),
        issuedAt: 1700000000,
      },
      // The untimed hash presented with a time.
      { id: 'known-user', hash: sign(secret, 'known-user'), issuedAt: now() },
    ];
    const refusals = [];
    for (const body of attempts) {
      const res = await claim(s, intruder.visitorToken, body);
      refusals.push({ status: res.status, body: res.body });
    }
    // Unknown and known ids alike: the same status and the same words, nothing more.
    for (const refusal of refusals) expect(refusal).toEqual(refusals[0]);
    expect(refusals[0]).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: 'The identity could not be verified' } },
    });
    // The intruder is still its own anonymous visitor, and the history is out of reach.
    const after = await api<VisitorSessionReply>(s, 'POST', '/api/visitors/session', {
      body: { visitorToken: intruder.visitorToken },
    });
    expect(after.body.visitor).toMatchObject({ id: intruder.visitor.id, externalId: null });
    expect(after.body.conversation).toBeNull();
    expect(await readable(s, intruder.visitorToken, known.started.conversation.id)).toBe(404);

    // A fresh timestamped hash is good.
    const issuedAt = now();
    const timed = await claim(s, intruder.visitorToken, {
      id: 'known-user',
      hash: sign(secret, `known-user\n${issuedAt}`),
      issuedAt,
    });
    expect(timed.status).toBe(200);
    expect(timed.body.visitor.id).toBe(known.session.visitor.id);
  });

  it('after the secret is rotated, old hashes and the tokens verified with them are refused', async () => {
    const s = server.current;
    const { admin, secret } = await identity(s);
    const chat = await startVisitorChat(s, 'Before the rotation');
    const verified = await claim(s, chat.session.visitorToken, {
      id: 'user-7',
      hash: sign(secret, 'user-7'),
    });
    expect(verified.status).toBe(200);
    const verifiedToken = verified.body.visitorToken;
    // The verified person's unsigned call on that browser: a token of the verified visitor too.
    const unsigned = await claim(s, verifiedToken, { id: 'user-7' });
    expect(unsigned.body.visitor?.externalId).toBe('user-7');
    expect(await readable(s, verifiedToken, chat.started.conversation.id)).toEqual([
      'Before the rotation',
    ]);

    await api(s, 'POST', '/api/settings/identity/rotate', { token: admin.token });
    const newSecret = await secretOf(s, admin);

    // The verified browser's token is over: REST and sockets refuse it, a session starts anew.
    expect(await readable(s, verifiedToken, chat.started.conversation.id)).toBe(401);
    expect(await readable(s, unsigned.body.visitorToken, chat.started.conversation.id)).toBe(401);
    const socket = openSocket(s, '/visitor', { visitorToken: verifiedToken });
    expect((await handshakeError(socket)).data).toEqual({ code: 'unauthorized' });
    const resumed = await api<VisitorSessionReply>(s, 'POST', '/api/visitors/session', {
      body: { visitorToken: verifiedToken },
    });
    expect(resumed.body.visitor.id).not.toBe(chat.session.visitor.id);
    expect(resumed.body.visitor.externalId).toBeNull();
    expect(resumed.body.conversation).toBeNull();

    const old = await claim(s, resumed.body.visitorToken, {
      id: 'user-7',
      hash: sign(secret, 'user-7'),
    });
    expect(old.status).toBe(403);
    const renewed = await claim(s, resumed.body.visitorToken, {
      id: 'user-7',
      hash: sign(newSecret, 'user-7'),
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.visitor.id).toBe(chat.session.visitor.id);
    expect(await readable(s, renewed.body.visitorToken, chat.started.conversation.id)).toEqual([
      'Before the rotation',
    ]);
  });

  it("each site has its own secret: one site's hash verifies nobody on another, and its rotation ends only its own", async () => {
    const s = server.current;
    const { admin, secret: mainSecret } = await identity(s);
    const shop = await api(s, 'POST', '/api/sites', {
      token: admin.token,
      body: { name: 'Shop', key: 'shop' },
    });
    const siteId = shop.body.site.id as string;
    const shopSecret = (
      await api<IdentitySecretReply>(s, 'GET', `/api/settings/identity/secret?siteId=${siteId}`, {
        token: admin.token,
      })
    ).body.secret;
    expect(shopSecret).not.toBe(mainSecret);

    // The main site's hash on the shop: refused. The shop's own: verified, on the shop.
    const onShop = await startVisitorChat(s, 'Hello shop', { site: 'shop' });
    const crossed = await claim(s, onShop.session.visitorToken, {
      id: 'user-9',
      hash: sign(mainSecret, 'user-9'),
    });
    expect(crossed.status).toBe(403);
    const shopVerified = await claim(s, onShop.session.visitorToken, {
      id: 'user-9',
      hash: sign(shopSecret, 'user-9'),
    });
    expect(shopVerified.body.visitor).toMatchObject({ externalId: 'user-9', siteId });
    // The same id on the main site is another person's record there.
    const onMain = await startVisitorChat(s, 'Hello main');
    const mainVerified = await claim(s, onMain.session.visitorToken, {
      id: 'user-9',
      hash: sign(mainSecret, 'user-9'),
    });
    expect(mainVerified.body.visitor.id).not.toBe(shopVerified.body.visitor.id);

    // Rotating the shop's secret ends the shop's verified visitors, not the main site's.
    const rotated = await api(s, 'POST', `/api/settings/identity/rotate?siteId=${siteId}`, {
      token: admin.token,
    });
    expect(rotated.status).toBe(200);
    expect(await readable(s, shopVerified.body.visitorToken, onShop.started.conversation.id)).toBe(
      401,
    );
    expect(
      await readable(s, mainVerified.body.visitorToken, onMain.started.conversation.id),
    ).toEqual(['Hello main']);
    // An unknown site has no settings to read.
    const unknown = await api(
      s,
      'GET',
      '/api/settings/identity?siteId=01890000-0000-7000-8000-000000000000',
      { token: admin.token },
    );
    expect(unknown.status).toBe(404);
  });

  it('an unverified claim of the same id and email never reaches the history', async () => {
    const s = server.current;
    const { secret } = await identity(s);
    const owner = await startVisitorChat(s, 'Private: my address is 1 Main St');
    await claim(s, owner.session.visitorToken, {
      id: 'user-9',
      hash: sign(secret, 'user-9'),
      name: 'Olive Owner',
      email: 'olive@example.com',
    });

    const other = await createVisitor(s);
    const unsigned = await claim(s, other.visitorToken, {
      id: 'user-9',
      name: 'Olive Owner',
      email: 'olive@example.com',
    });
    // Taken as this anonymous visitor's contact details, nothing else.
    expect(unsigned.status).toBe(200);
    expect(unsigned.body.visitor).toMatchObject({
      id: other.visitor.id,
      externalId: null,
      name: 'Olive Owner',
      email: 'olive@example.com',
    });
    expect(unsigned.body.conversation).toBeNull();
    expect(await readable(s, unsigned.body.visitorToken, owner.started.conversation.id)).toBe(404);
    // The pre-chat form's email is no key either.
    await api(s, 'PATCH', '/api/visitors/me', {
      token: other.visitorToken,
      body: { email: 'olive@example.com' },
    });
    const session = await api<VisitorSessionReply>(s, 'POST', '/api/visitors/session', {
      body: { visitorToken: other.visitorToken },
    });
    expect(session.body.visitor.id).toBe(other.visitor.id);
    expect(session.body.conversation).toBeNull();
  });

  it('with verification required, unsigned claims are refused and the chat goes on anonymously', async () => {
    const s = server.current;
    const { admin, secret } = await identity(s);
    await api(s, 'PATCH', '/api/settings/identity', {
      token: admin.token,
      body: { requireVerification: true },
    });
    const chat = await startVisitorChat(s, 'Anonymous still works');
    const unsigned = await claim(s, chat.session.visitorToken, {
      id: 'user-3',
      name: 'Una Unsigned',
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.body.error?.message).toMatch(/verified identities only/);
    const session = await api<VisitorSessionReply>(s, 'POST', '/api/visitors/session', {
      body: { visitorToken: chat.session.visitorToken },
    });
    expect(session.body.visitor).toMatchObject({ name: null, externalId: null });
    expect(session.body.conversation?.id).toBe(chat.started.conversation.id);

    const signed = await claim(s, chat.session.visitorToken, {
      id: 'user-3',
      hash: sign(secret, 'user-3'),
      name: 'Una Signed',
    });
    expect(signed.status).toBe(200);
    expect(signed.body.visitor).toMatchObject({ externalId: 'user-3', name: 'Una Signed' });
  });

  it("an anonymous visitor's chats move to the verified visitor, but a second active chat stays behind", async () => {
    const s = server.current;
    const { admin, secret } = await identity(s);
    const agent = await connectAgent(s, admin.token);
    // The verified user chats on their laptop and leaves the chat open.
    const laptop = await startVisitorChat(s, 'Laptop: open question');
    const first = await claim(s, laptop.session.visitorToken, {
      id: 'user-5',
      hash: sign(secret, 'user-5'),
    });
    const verifiedId = first.body.visitor.id;

    // On the phone, before signing in, they chatted twice: one chat closed, one still open.
    const phone = await startVisitorChat(s, 'Phone: closed question');
    await api(s, 'PATCH', `/api/conversations/${phone.started.conversation.id}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    const reopened = await phone.socket.timeout(5000).emitWithAck('conversation.start', {
      content: 'Phone: open question',
      clientId: randomUUID(),
    });
    if (!reopened.ok) throw new Error(reopened.error.message);
    await api(s, 'PATCH', '/api/visitors/me/attributes', {
      token: phone.session.visitorToken,
      body: { attributes: { plan: 'pro' } },
    });

    const movedEvent = nextEvent<{ id: string; visitor: { id: string } }>(
      agent,
      'conversation.updated',
      (c) => c.id === phone.started.conversation.id,
    );
    const signedIn = await claim(s, phone.session.visitorToken, {
      id: 'user-5',
      hash: sign(secret, 'user-5'),
    });
    expect(signedIn.body.visitor.id).toBe(verifiedId);
    expect(signedIn.body.visitor.attributes).toEqual({ plan: 'pro' });
    // The verified visitor's open chat is the one the phone now shows.
    expect(signedIn.body.conversation?.id).toBe(laptop.started.conversation.id);
    expect((await movedEvent).visitor.id).toBe(verifiedId);

    const panel = await api<VisitorReply>(s, 'GET', `/api/visitors/${verifiedId}`, {
      token: admin.token,
    });
    expect(panel.body.visitor.externalId).toBe('user-5');
    expect(panel.body.conversations.map((c) => c.id).sort()).toEqual(
      [laptop.started.conversation.id, phone.started.conversation.id].sort(),
    );
    // The phone's open chat could not join (one active chat per visitor): it stays with the
    // anonymous visitor, where the agents still see it.
    const left = await api<VisitorReply>(s, 'GET', `/api/visitors/${phone.session.visitor.id}`, {
      token: admin.token,
    });
    expect(left.body.conversations.map((c) => c.id)).toEqual([reopened.data.conversation.id]);
    expect(await readable(s, signedIn.body.visitorToken, phone.started.conversation.id)).toEqual([
      'Phone: closed question',
    ]);
  });

  it('an agent typing in a chat that moved to the verified visitor reaches its new owner', async () => {
    const s = server.current;
    const { admin, secret } = await identity(s);
    const agent = await connectAgent(s, admin.token);
    // The verified user exists (signed in on another device), without an open chat.
    const laptop = await createVisitor(s);
    await claim(s, laptop.visitorToken, { id: 'user-9', hash: sign(secret, 'user-9') });
    // On the phone they chat anonymously, and an agent opens that chat.
    const phone = await startVisitorChat(s, 'Phone: a question');
    const id = phone.started.conversation.id;
    const joined = await agent
      .timeout(5000)
      .emitWithAck('conversation.join', { conversationId: id });
    expect(joined.ok).toBe(true);

    const moved = nextEvent<{ id: string; visitorId: string }>(
      agent,
      'conversation.updated',
      (c) => c.id === id,
    );
    const signedIn = await claim(s, phone.session.visitorToken, {
      id: 'user-9',
      hash: sign(secret, 'user-9'),
    });
    expect((await moved).visitorId).toBe(signedIn.body.visitor.id);
    const owner = await connectVisitor(s, signedIn.body.visitorToken);
    const typing = nextEvent<{ conversationId: string; isTyping: boolean }>(
      owner,
      'typing.changed',
    );
    await agent
      .timeout(5000)
      .emitWithAck('typing.set', { conversationId: id, isTyping: true, draft: '' });
    expect(await typing).toMatchObject({ conversationId: id, isTyping: true });
  });

  it('a browser verified as one user never hands their history to another', async () => {
    const s = server.current;
    const { secret } = await identity(s);
    const chat = await startVisitorChat(s, 'Alice’s question');
    const alice = await claim(s, chat.session.visitorToken, {
      id: 'alice',
      hash: sign(secret, 'alice'),
    });
    const aliceToken = alice.body.visitorToken;

    // Bob signs in on the same browser without the site calling reset(): signed, he gets a
    // visitor of his own; unsigned, a new anonymous one. Alice's chat is in neither.
    const bob = await claim(s, aliceToken, { id: 'bob', hash: sign(secret, 'bob') });
    expect(bob.body.visitor).toMatchObject({ externalId: 'bob' });
    expect(bob.body.visitor.id).not.toBe(alice.body.visitor.id);
    expect(bob.body.conversation).toBeNull();
    const carol = await claim(s, aliceToken, { id: 'carol', name: 'Carol' });
    expect(carol.body.visitor).toMatchObject({ externalId: null, name: 'Carol' });
    expect(carol.body.visitor.id).not.toBe(alice.body.visitor.id);
    expect(carol.body.conversation).toBeNull();
    // Alice's own unsigned call changes nothing of her verified record.
    const again = await claim(s, aliceToken, { id: 'alice', name: 'Mallory' });
    expect(again.body.visitor).toMatchObject({ id: alice.body.visitor.id, name: null });
  });

  it('reset: a new anonymous session sees nothing of the verified history', async () => {
    const s = server.current;
    const { secret } = await identity(s);
    const chat = await startVisitorChat(s, 'Before signing out');
    await claim(s, chat.session.visitorToken, { id: 'user-r', hash: sign(secret, 'user-r') });
    // reset() forgets the token: the next page starts a session with none.
    const fresh = await createVisitor(s);
    expect(fresh.visitor).toMatchObject({ externalId: null, name: null });
    expect(fresh.conversation).toBeNull();
    expect(await readable(s, fresh.visitorToken, chat.started.conversation.id)).toBe(404);
  });

  it('refuses malformed claims with the fields at fault', async () => {
    const s = server.current;
    const { secret } = await identity(s);
    const visitor = await createVisitor(s);
    const refused = async (body: unknown, path: string) => {
      const res = await claim(s, visitor.visitorToken, body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.code).toBe('validation_failed');
      expect(res.body.error?.details).toContainEqual(expect.objectContaining({ path }));
    };
    await refused({ hash: sign(secret, 'x') }, 'id');
    await refused({ id: 'x', identifier_hash: sign(secret, 'x') }, '');
    await refused({ id: 'x', hash: 'not-hex' }, 'hash');
    await refused({ id: 'x'.repeat(201), hash: sign(secret, 'x') }, 'id');
    await refused({ id: 'a\nb', hash: sign(secret, 'a\nb') }, 'id');
    await refused({ id: 42, hash: sign(secret, '42') }, 'id');
    await refused({ id: 'x', email: 'not an email' }, 'email');
    await refused({ id: 'x', issuedAt: now() }, 'issuedAt');
    const noToken = await api(s, 'POST', '/api/visitors/me/identity', {
      body: { id: 'x', hash: sign(secret, 'x') },
    });
    expect(noToken.status).toBe(401);
  });
});

describe('custom attributes', () => {
  it('are kept as short texts, shown to agents live, and bounded', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const visitor = await createVisitor(s);
    const set = (attributes: unknown) =>
      api<{ visitor: Visitor }>(s, 'PATCH', '/api/visitors/me/attributes', {
        token: visitor.visitorToken,
        body: { attributes },
      });

    const live = nextEvent<Visitor>(agent, 'visitor.updated', (v) => v.id === visitor.visitor.id);
    const first = await set({ plan: 'Pro', seats: 12, trial: false, company: ' Acme ' });
    expect(first.status).toBe(200);
    expect(first.body.visitor.attributes).toEqual({
      plan: 'Pro',
      seats: '12',
      trial: 'false',
      company: 'Acme',
    });
    expect((await live).attributes).toMatchObject({ plan: 'Pro' });
    const second = await set({ plan: 'Enterprise', trial: null });
    expect(second.body.visitor.attributes).toEqual({
      plan: 'Enterprise',
      seats: '12',
      company: 'Acme',
    });
    const panel = await api<VisitorReply>(s, 'GET', `/api/visitors/${visitor.visitor.id}`, {
      token: admin.token,
    });
    expect(panel.body.visitor.attributes).toEqual(second.body.visitor.attributes);

    const refused = async (attributes: unknown, path: string) => {
      const res = await set(attributes);
      expect(res.status, JSON.stringify(attributes)).toBe(400);
      expect((res.body as any).error.code).toBe('validation_failed');
      expect((res.body as any).error.details).toContainEqual(expect.objectContaining({ path }));
    };
    await refused({ 'Bad Key': 'x' }, 'attributes.Bad Key');
    // A bad key is told by its rule (as docs/widget.md says it), not by zod's words for it.
    expect((await set({ Plan: 'x' })).body).toMatchObject({
      error: {
        details: [
          {
            path: 'attributes.Plan',
            message: 'Lower-case letters, digits and _, starting with a letter',
          },
        ],
      },
    });
    await refused({ nested: { a: 1 } }, 'attributes.nested');
    await refused({ long: 'x'.repeat(201) }, 'attributes.long');
    await refused({}, 'attributes');
    await refused('plan=pro', 'attributes');
    const many = (from: number, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`key_${from + i}`, 'v']));
    await refused(many(0, 21), 'attributes');
    expect((await set(many(0, 20))).status).toBe(200);
    expect((await set(many(20, 20))).status).toBe(200);
    // 3 + 40 kept; 10 more would pass 50.
    await refused(many(40, 10), 'attributes');
    expect((await set(many(40, 7))).status).toBe(200);
  });

  it("find the visitor's conversations in search, by any attribute's value", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, 'Hello');
    await api(s, 'PATCH', '/api/visitors/me/attributes', {
      token: chat.session.visitorToken,
      body: { attributes: { plan: 'Enterprise', account: 'ACME-4471' } },
    });
    for (const q of ['enterprise', 'ACME-4471', 'acme 4471', 'enterp']) {
      const res = await api(s, 'GET', `/api/search?q=${encodeURIComponent(q)}`, {
        token: admin.token,
      });
      expect(
        res.body.items.map((h: { conversation: { id: string } }) => h.conversation.id),
        q,
      ).toEqual([chat.started.conversation.id]);
    }
    const none = await api(s, 'GET', '/api/search?q=plan', { token: admin.token });
    expect(none.body.items).toEqual([]); // a key is not a value
  });
});

const now = () => Math.floor(Date.now() / 1000);
