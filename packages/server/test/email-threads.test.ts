import type { Message } from '@parley/protocol';
import type { ParsedMail } from 'mailparser';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  connectVisitor,
  createAdmin,
  createAgent,
  createVisitor,
  login,
  newClientId,
  nextEvent,
  startVisitorChat,
  waitFor,
} from './factories.js';
import type { TestServer } from './harness.js';
import { startWithProof, withProof } from './pow.js';
import { useEmailServer, type InboundMail } from './support/email-server.js';

// Conversations that continue by email, end to end over real SMTP both ways: Parley sends to a
// mail server started here, and the test sends replies to Parley's own SMTP listener.
const emailServer = useEmailServer();
const { server, mailTo } = emailServer;

const replyToOf = (mail: ParsedMail | undefined) => mail?.replyTo?.value[0]?.address ?? '';

const sendReply = (mail: InboundMail) => emailServer.sendMail(mail);

/** A visitor who left their name and email (the offline form), then wrote a first message. */
async function visitorWithEmail(s: TestServer, email = 'vera@example.com') {
  const session = await createVisitor(s);
  const patched = await api(s, 'PATCH', '/api/visitors/me', {
    token: session.visitorToken,
    body: { name: 'Vera Visitor', email },
  });
  expect(patched.status).toBe(200);
  const socket = await connectVisitor(s, session.visitorToken);
  const reply = await startWithProof(socket, {
    content: 'Where is my order INV-12345?',
    clientId: newClientId(),
  });
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return { session, socket, started: reply.data };
}

const send = (
  s: TestServer,
  token: string,
  conversationId: string,
  content: string,
  type = 'text',
) =>
  api(s, 'POST', '/api/messages', {
    token,
    body: { conversationId, content, clientId: newClientId(), type },
  });

const messagesOf = async (s: TestServer, token: string, conversationId: string) =>
  (
    await api<{ messages: Message[] }>(s, 'GET', `/api/conversations/${conversationId}/messages`, {
      token,
    })
  ).body.messages;

describe('conversations that continue by email', () => {
  it('offline form, team alert, agent reply by email, the reply by email back, live, twice', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s, 'Ada Admin');
    // Nobody online: the offline form.
    const chat = await visitorWithEmail(s);
    const id = chat.started.conversation.id;

    // The team hears at once, with a link to the conversation.
    await waitFor(() => mailTo(admin.user.email).length === 1);
    const [alert] = mailTo(admin.user.email);
    expect(alert?.subject).toBe('Waiting: Vera Visitor');
    expect(alert?.text).toContain(`https://chat.acme.example/conversations/${id}`);
    expect(alert?.text).toContain('Where is my order INV-12345?');

    // The visitor leaves; the agent answers twice, and writes a note.
    chat.socket.disconnect();
    const agent = await connectAgent(s, admin.token);
    expect(
      (await send(s, admin.token, id, 'We shipped it today. <b>Tracking</b> follows')).status,
    ).toBe(201);
    expect((await send(s, admin.token, id, 'Anything else?')).status).toBe(201);
    expect((await send(s, admin.token, id, 'internal: VIP customer', 'note')).status).toBe(201);

    // One email, with both replies and not the note, a second after the last of them.
    await waitFor(() => mailTo('vera@example.com').length === 1);
    await new Promise((r) => setTimeout(r, 1500));
    const sent = mailTo('vera@example.com');
    expect(sent).toHaveLength(1);
    const [email] = sent;
    expect(email?.from?.text).toBe('"Ada Admin at Acme Support" <support@acme.example>');
    expect(email?.subject).toBe('Ada Admin replied to your chat with Acme Support');
    expect(email?.text).toContain('We shipped it today. <b>Tracking</b> follows');
    expect(email?.text).toContain('Anything else?');
    expect(email?.text).not.toContain('VIP');
    // What an agent wrote is text in the HTML, never markup.
    expect(email?.html).toContain('&lt;b&gt;Tracking&lt;/b&gt;');
    expect(email?.html).not.toContain('<b>Tracking');
    const replyTo = replyToOf(email);
    expect(replyTo).toMatch(/^[0-9a-f]{32}-[0-9a-f]{24}@reply\.acme\.example$/);
    expect(email?.inReplyTo).toBe(`<conversation-${id}@reply.acme.example>`);

    // The visitor answers from their mail client: the agent sees it live, quote cut.
    const live = nextEvent<Message>(agent, 'message.created', (m) => m.sender === 'visitor');
    await sendReply({
      to: replyTo,
      messageId: '<reply-1@mail.example.com>',
      inReplyTo: email?.messageId,
      text: 'Thanks! Got it.\n\nOn Mon, 1 Dec 2026, Ada Admin at Acme Support wrote:\n> We shipped it today.',
    });
    const first = await live;
    expect(first).toMatchObject({
      conversationId: id,
      sender: 'visitor',
      content: 'Thanks! Got it.',
    });

    // The same email delivered twice is one message.
    await sendReply({
      to: replyTo,
      messageId: '<reply-1@mail.example.com>',
      text: 'Thanks! Got it.\n\nOn Mon, Ada wrote:\n> We shipped it today.',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await messagesOf(s, admin.token, id)).filter((m) => m.content === 'Thanks! Got it.'),
    ).toHaveLength(1);

    // Closed meanwhile, a second reply opens it again and threads into the same conversation.
    expect(
      (
        await api(s, 'PATCH', `/api/conversations/${id}`, {
          token: admin.token,
          body: { status: 'closed' },
        })
      ).status,
    ).toBe(200);
    const second = nextEvent<Message>(agent, 'message.created', (m) => m.sender === 'visitor');
    await sendReply({
      to: replyTo,
      messageId: '<reply-2@mail.example.com>',
      text: 'One more thing: can I change the address?\n\n-- \nVera\nSent from my phone',
    });
    expect(await second).toMatchObject({
      conversationId: id,
      content: 'One more thing: can I change the address?',
    });
    const after = await api(s, 'GET', `/api/conversations/${id}`, { token: admin.token });
    expect(after.body.conversation.status).not.toBe('closed');
    const lines = (await messagesOf(s, admin.token, id)).map((m) => `${m.sender}: ${m.content}`);
    expect(lines).toContain('system: Chat reopened by a reply by email');
  });

  it('sends nothing for replies the visitor saw in the widget', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const chat = await visitorWithEmail(s, 'seen@example.com');
    const id = chat.started.conversation.id;
    await connectAgent(s, admin.token);
    const sent = await send(s, admin.token, id, 'Here is the answer');
    // The widget is open: it marks what it shows as read.
    const read = await api(s, 'POST', '/api/messages/read', {
      token: chat.session.visitorToken,
      body: { conversationId: id, seq: sent.body.message.seq },
    });
    expect(read.status).toBe(204);
    await new Promise((r) => setTimeout(r, 2500));
    expect(mailTo('seen@example.com')).toHaveLength(0);
    // A visitor without an address gets none either, and nothing fails.
    const anon = await startVisitorChat(s, 'No email here');
    await send(s, admin.token, anon.started.conversation.id, 'Hello?');
    await new Promise((r) => setTimeout(r, 2500));
    expect(emailServer.smtp.received.filter((m) => m.subject?.includes('replied'))).toHaveLength(0);
  });

  it('refuses forged, stale, oversized and malformed mail, and changes nothing', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const chat = await visitorWithEmail(s, 'stale@example.com');
    const id = chat.started.conversation.id;
    chat.socket.disconnect();
    await send(s, admin.token, id, 'Your answer');
    await waitFor(() => mailTo('stale@example.com').length === 1);
    const replyTo = replyToOf(mailTo('stale@example.com')[0]);
    const before = (await messagesOf(s, admin.token, id)).length;

    const refused = async (mail: Parameters<typeof sendReply>[0]) => {
      const error = await sendReply({ from: 'stale@example.com', ...mail }).then(
        () => null,
        (e: Error & { responseCode?: number; response?: string }) => e,
      );
      expect(error, 'the mail was accepted').not.toBeNull();
      return error;
    };
    // A forged signature, another conversation's id, another domain.
    const forged = replyTo.replace(
      /-([0-9a-f]{24})@/,
      (_m, sig: string) => `-${sig.startsWith('0') ? '1' : '0'}${sig.slice(1)}@`,
    );
    expect((await refused({ to: forged, text: 'forged' }))?.responseCode).toBe(550);
    const otherId = `${'0'.repeat(32)}${replyTo.slice(32)}`;
    expect((await refused({ to: otherId, text: 'other' }))?.responseCode).toBe(550);
    expect((await refused({ to: 'support@reply.acme.example', text: 'guess' }))?.responseCode).toBe(
      550,
    );
    expect(
      (await refused({ to: replyTo.replace('reply.acme.example', 'evil.example'), text: 'x' }))
        ?.responseCode,
    ).toBe(550);
    // Over 10 MB: refused with a reason.
    const big = await refused({
      to: replyTo,
      text: 'big',
      attachments: [{ filename: 'huge.bin', content: Buffer.alloc(11 * 1024 * 1024, 1) }],
    });
    expect(big?.responseCode).toBe(552);
    // Only quoted history: nothing to post.
    const quoteOnly = await refused({ to: replyTo, text: 'On Mon, Acme wrote:\n> Your answer' });
    expect(quoteOnly?.responseCode).toBe(550);
    expect(quoteOnly?.response).toMatch(/no reply above the quoted message/);
    expect((await messagesOf(s, admin.token, id)).length).toBe(before);

    // An attachment is not kept (no files yet), and the conversation says so.
    await sendReply({
      to: replyTo,
      from: 'stale@example.com',
      messageId: '<with-file@mail.example.com>',
      text: 'Screenshot attached',
      attachments: [{ filename: 'error.png', content: 'not really a png' }],
    });
    await waitFor(async () => (await messagesOf(s, admin.token, id)).length === before + 1);
    const last = (await messagesOf(s, admin.token, id)).at(-1);
    expect(last?.content).toMatch(
      /^Screenshot attached\n\n\[The email had an attachment \(error\.png\)/,
    );

    // The visitor changes their address: the old reply address is stale.
    await api(s, 'PATCH', '/api/visitors/me', {
      token: chat.session.visitorToken,
      body: { email: 'new@example.com' },
    });
    expect((await refused({ to: replyTo, text: 'stale' }))?.responseCode).toBe(550);
    // A deleted conversation's address too.
    await server.database.db.execute(sql`delete from conversations where id = ${id}`);
    expect((await refused({ to: replyTo, text: 'gone' }))?.responseCode).toBe(550);
  });

  it('refuses a body that is not the base64 it says, with the reason', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const chat = await visitorWithEmail(s, 'html@example.com');
    const id = chat.started.conversation.id;
    chat.socket.disconnect();
    await send(s, admin.token, id, 'Your answer');
    await waitFor(() => mailTo('html@example.com').length === 1);
    const replyTo = replyToOf(mailTo('html@example.com')[0]);
    const before = (await messagesOf(s, admin.token, id)).length;

    // Declared base64, but plain text: decoding it would store noise.
    const raw = (body: string, encoding = 'base64', type = 'text/plain; charset=utf-8') =>
      [
        'From: html@example.com',
        `To: ${replyTo}`,
        'Subject: Re: your chat',
        'Message-ID: <broken-1@mail.example.com>',
        `Content-Type: ${type}`,
        `Content-Transfer-Encoding: ${encoding}`,
        '',
        body,
        '',
      ].join('\r\n');
    const broken = await sendReply({
      to: replyTo,
      envelope: { from: 'html@example.com', to: replyTo },
      raw: raw('Hello, this is not base64 at all!'),
    }).then(
      () => null,
      (e: Error & { responseCode?: number; response?: string }) => e,
    );
    expect(broken?.responseCode).toBe(550);
    expect(broken?.response).toMatch(/not valid base64/);
    // Valid base64 is read as before.
    await sendReply({
      to: replyTo,
      envelope: { from: 'html@example.com', to: replyTo },
      raw: raw(Buffer.from('Fine, thanks').toString('base64')),
    });
    await waitFor(async () => (await messagesOf(s, admin.token, id)).length === before + 1);
    expect((await messagesOf(s, admin.token, id)).at(-1)?.content).toBe('Fine, thanks');
  });

  it('flattens an HTML-only reply with each link once and no bracket glued to it', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const chat = await visitorWithEmail(s, 'html@example.com');
    const id = chat.started.conversation.id;
    chat.socket.disconnect();
    await send(s, admin.token, id, 'Your answer');
    await waitFor(() => mailTo('html@example.com').length === 1);
    const replyTo = replyToOf(mailTo('html@example.com')[0]);
    const before = (await messagesOf(s, admin.token, id)).length;
    await sendReply({
      to: replyTo,
      from: 'html@example.com',
      messageId: '<html-1@mail.example.com>',
      text: undefined,
      html: '<p>Tracking: <a href="https://shop.example/track?id=7">here</a>. Site: <a href="https://shop.example/">https://shop.example/</a></p>',
    });
    await waitFor(async () => (await messagesOf(s, admin.token, id)).length === before + 1);
    expect((await messagesOf(s, admin.token, id)).at(-1)?.content).toBe(
      'Tracking: here https://shop.example/track?id=7. Site: https://shop.example/',
    );
  });

  it('emails transcripts to the visitor, asked for in the widget or sent by an agent', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, 'Hi, question about <script>');
    const id = chat.started.conversation.id;
    await send(s, admin.token, id, 'Sure, ask away');
    await send(s, admin.token, id, 'secret note', 'note');
    const token = chat.session.visitorToken;
    // An agent cannot send one before the visitor gave an address.
    expect(
      (
        await api(s, 'POST', `/api/conversations/${id}/transcript`, {
          token: admin.token,
          body: {},
        })
      ).status,
    ).toBe(409);
    // The visitor gives one; it is kept, and a code goes to it first (see attacks-email).
    const asked = await withProof((proof) =>
      api(s, 'POST', `/api/conversations/${id}/transcript`, {
        token,
        body: { email: 'T@Example.com', proof },
      }),
    );
    expect(asked).toMatchObject({ status: 202, body: { to: 't@example.com', codeSent: true } });
    await waitFor(() => mailTo('t@example.com').length === 1);
    const code = /\b(\d{6})\b/.exec(mailTo('t@example.com')[0]?.text ?? '')?.[1];
    const confirmed = await api(s, 'POST', `/api/conversations/${id}/transcript`, {
      token,
      body: { code },
    });
    expect(confirmed).toMatchObject({ status: 202, body: { to: 't@example.com' } });
    await waitFor(() => mailTo('t@example.com').length === 2);
    const transcript = mailTo('t@example.com')[1];
    expect(transcript?.subject).toMatch(/^Your chat with Acme Support on \d{4}-\d{2}-\d{2}$/);
    expect(transcript?.text).toContain('Hi, question about <script>');
    expect(transcript?.text).toContain('Sure, ask away');
    expect(transcript?.text).not.toContain('secret note');
    expect(transcript?.html).toContain('&lt;script&gt;');
    // Another address once one is on file: refused.
    expect(
      (
        await withProof((proof) =>
          api(s, 'POST', `/api/conversations/${id}/transcript`, {
            token,
            body: { email: 'x@evil.example', proof },
          }),
        )
      ).status,
    ).toBe(400);
    // The agent sends one now.
    expect(
      (
        await api(s, 'POST', `/api/conversations/${id}/transcript`, {
          token: admin.token,
          body: {},
        })
      ).body,
    ).toEqual({ to: 't@example.com' });
    await waitFor(() => mailTo('t@example.com').length === 3);
    // Another visitor's conversation: not found, as if it did not exist.
    const other = await startVisitorChat(s, 'me too');
    expect(
      (
        await api(s, 'POST', `/api/conversations/${id}/transcript`, {
          token: other.session.visitorToken,
          body: { email: 'o@example.com' },
        })
      ).status,
    ).toBe(404);
  });

  it('resets a forgotten password with a single-use link that ends every session', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Bob Agent' });
    expect((await api(s, 'GET', '/api/auth/setup')).body).toEqual({
      needsSetup: false,
      passwordReset: true,
      sso: null,
    });
    // Known and unknown addresses get the same answer.
    const known = await api(s, 'POST', '/api/auth/password-reset', {
      body: { email: agent.user.email },
    });
    const unknown = await api(s, 'POST', '/api/auth/password-reset', {
      body: { email: 'nobody@example.com' },
    });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    await waitFor(() => mailTo(agent.user.email).length === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(emailServer.smtp.received).toHaveLength(1);
    const link = /https:\/\/chat\.acme\.example\/reset-password#token=([A-Za-z0-9_-]+)/.exec(
      mailTo(agent.user.email)[0]?.text ?? '',
    );
    const token = link?.[1] ?? '';
    expect(token).not.toBe('');

    // A weak password is refused and leaves the link usable.
    const weak = await api(s, 'POST', '/api/auth/password-reset/confirm', {
      body: { token, password: 'password1' },
    });
    expect(weak.status).toBe(400);
    const password = 'violet-harbour-candle-42';
    const reset = await api(s, 'POST', '/api/auth/password-reset/confirm', {
      body: { token, password },
    });
    expect(reset.status).toBe(204);
    // Every session ended: the old access token and refresh cookie are dead.
    expect((await api(s, 'GET', '/api/auth/me', { token: agent.token })).status).toBe(401);
    expect(
      (await api(s, 'POST', '/api/auth/refresh', { headers: { cookie: agent.cookie } })).status,
    ).toBe(401);
    expect((await login(s, agent.user.email, password)).user.id).toBe(agent.user.id);
    // Used once: used up. A forged token is refused the same way.
    for (const t of [token, 'forged-token']) {
      const again = await api(s, 'POST', '/api/auth/password-reset/confirm', {
        body: { token: t, password: 'another-long-phrase-77' },
      });
      expect(again.status).toBe(400);
      expect(again.body.error.message).toMatch(/expired or was already used/);
    }
    // An expired link is refused.
    await api(s, 'POST', '/api/auth/password-reset', { body: { email: agent.user.email } });
    await waitFor(() => mailTo(agent.user.email).length === 2);
    const expired =
      /#token=([A-Za-z0-9_-]+)/.exec(mailTo(agent.user.email)[1]?.text ?? '')?.[1] ?? '';
    await server.database.db.execute(
      sql`update password_resets set expires_at = now() - interval '1 second'`,
    );
    expect(
      (
        await api(s, 'POST', '/api/auth/password-reset/confirm', {
          body: { token: expired, password: 'another-long-phrase-77' },
        })
      ).status,
    ).toBe(400);
  });

  it('alerts the team about a chat queued past the delay, and not about one an agent took', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Bob Agent' });
    // Bob opts in; Bob is online with no room for chats: the chat waits in the queue.
    await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { capacity: 0 },
    });
    expect(
      (await api(s, 'PATCH', '/api/auth/me', { token: agent.token, body: { emailAlerts: true } }))
        .body.user.emailAlerts,
    ).toBe(true);
    await connectAgent(s, agent.token);
    const queued = await startVisitorChat(s, 'Anyone there?');
    await waitFor(
      () => mailTo(agent.user.email).length === 1 && mailTo(admin.user.email).length === 1,
    );
    expect(mailTo(agent.user.email)[0]?.text).toContain('is waiting in the queue');
    expect(mailTo(agent.user.email)[0]?.text).toContain(queued.started.conversation.id);

    // With room, routing gives the next chat to Bob at once: nobody is alerted.
    await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { capacity: 5 },
    });
    await api(s, 'POST', `/api/conversations/${queued.started.conversation.id}/assign`, {
      token: admin.token,
      body: { agentId: agent.user.id },
    });
    emailServer.smtp.received.length = 0;
    await startVisitorChat(s, 'Hello again');
    await new Promise((r) => setTimeout(r, 2500));
    expect(emailServer.smtp.received).toHaveLength(0);
  });

  it("alerts a team's own agents, only within its hours, and mails a site's visitors in its name", async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const alertsOn = async (name: string) => {
      const agent = await createAgent(s, admin, { name });
      await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
        token: admin.token,
        body: { capacity: 0 },
      });
      await api(s, 'PATCH', '/api/auth/me', { token: agent.token, body: { emailAlerts: true } });
      await connectAgent(s, agent.token);
      return agent;
    };
    const bob = await alertsOn('Bob Billing');
    const tina = await alertsOn('Tina Technical');
    const team = async (name: string, memberId: string, schedule: object | null) =>
      (
        await api(s, 'POST', '/api/teams', {
          token: admin.token,
          body: { name, memberIds: [memberId], schedule },
        })
      ).body.team.id as string;
    const billing = await team('Billing', bob.user.id, null);
    // Technical opens two hours from now, for an hour.
    const h = new Date().getUTCHours();
    const at = (n: number) => `${String(n % 24).padStart(2, '0')}:00`;
    const technical = await team('Technical', tina.user.id, {
      timeZone: 'UTC',
      weekly: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
          d,
          [{ start: at(h + 2), end: at(h + 3) }],
        ]),
      ),
    });
    for (const [key, teamId] of [
      ['shop', billing],
      ['support', technical],
    ] as const) {
      const made = await api(s, 'POST', '/api/sites', {
        token: admin.token,
        body: { name: key, key, teamIds: [teamId], emailSenderName: `Acme ${key}` },
      });
      expect(made.status).toBe(201);
    }

    // Billing's chat: Bob is alerted, and nobody outside Billing.
    const shopChat = await startVisitorChat(s, 'A billing question', { site: 'shop' });
    await waitFor(() => mailTo(bob.user.email).length === 1);
    // Technical's chat, outside its hours: nobody now; the alert waits for the opening.
    await startVisitorChat(s, 'A technical question', { site: 'support' });
    await waitFor(async () => {
      const due = await s.database.db.execute(
        sql`select run_at from jobs where kind = 'alert-waiting' and status = 'queued' and run_at > now() + interval '1 hour'`,
      );
      return (due as unknown as { rows: unknown[] }).rows.length === 1;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailTo(tina.user.email)).toHaveLength(0);
    expect(mailTo(admin.user.email)).toHaveLength(0);
    expect(mailTo(bob.user.email)).toHaveLength(1);

    // The shop's visitor hears from the shop, by its sender name.
    const id = shopChat.started.conversation.id;
    await api(s, 'PATCH', '/api/visitors/me', {
      token: shopChat.session.visitorToken,
      body: { email: 'vera@example.com' },
    });
    const sent = await api(s, 'POST', `/api/conversations/${id}/transcript`, {
      token: admin.token,
      body: {},
    });
    expect(sent.status).toBe(202);
    await waitFor(() => mailTo('vera@example.com').length === 1);
    expect(mailTo('vera@example.com')[0]?.from?.value[0]?.name).toBe('Acme shop');
  });

  it('refuses a name with a line break, which would otherwise reach an email header', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bad = await api(s, 'PATCH', '/api/auth/me', {
      token: admin.token,
      body: { name: 'Eve\r\nBcc: everyone@example.com' },
    });
    expect(bad.status).toBe(400);
    const chat = await startVisitorChat(s);
    const visitor = await api(s, 'PATCH', '/api/visitors/me', {
      token: chat.session.visitorToken,
      body: { name: 'Mallory\nSubject: hi' },
    });
    expect(visitor.status).toBe(400);
    expect((await api(s, 'GET', '/api/auth/me', { token: admin.token })).body.user.name).toBe(
      'Ada Admin',
    );
  });
});
