import type { Message } from '@parley/protocol';
import type { ParsedMail } from 'mailparser';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { limits } from '../src/services/rate-limit.js';
import { attack } from './attack-kit.js';
import {
  api,
  connectVisitor,
  createAdmin,
  createVisitor,
  newClientId,
  startVisitorChat,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import type { TestServer } from './harness.js';
import { startWithProof, withProof } from './pow.js';
import { toOf, useEmailServer, type InboundMail } from './support/email-server.js';

/**
 * The attack suite, by email (issue 32): what an anonymous visitor can make Parley send, and
 * what anyone holding a reply address can make it store. Real SMTP both ways; each visitor
 * request comes from an address of its own (X-Forwarded-For, TRUST_PROXY), as from the world.
 */
const emailServer = useEmailServer({ TRUST_PROXY: 'true' });
const { server, mailTo } = emailServer;

const codeIn = (mail: ParsedMail | undefined) => /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
/** Long enough for an email that was going to be sent to have arrived. */
const settle = () => new Promise((r) => setTimeout(r, 1500));
const SPAM = 'WIN A PRIZE at https://prize.evil.example now';

const transcript = (
  s: TestServer,
  token: string,
  conversationId: string,
  body: { email?: string; code?: string },
  ip = '198.51.100.1',
) =>
  withProof((proof) =>
    api(s, 'POST', `/api/conversations/${conversationId}/transcript`, {
      token,
      body: { ...body, ...(proof && { proof }) },
      headers: { 'x-forwarded-for': ip },
    }),
  );

const sendMail = (mail: InboundMail) => emailServer.sendMail(mail);

const refusedWith = async (mail: Parameters<typeof sendMail>[0]) => {
  const error = await sendMail(mail).then(
    () => null,
    (e: Error & { responseCode?: number; response?: string }) => e,
  );
  expect(error, 'the mail was accepted').not.toBeNull();
  return { code: error?.responseCode, response: error?.response ?? '' };
};

const messagesOf = async (s: TestServer, token: string, conversationId: string) =>
  (
    await api<{ messages: Message[] }>(s, 'GET', `/api/conversations/${conversationId}/messages`, {
      token,
    })
  ).body.messages;

/**
 * A visitor who left an address, wrote, and left; an agent answered, and the answer was emailed
 * to them: its reply address is what an attacker with that email would hold.
 */
async function emailedVisitor(s: TestServer, admin: SignedInAgent, email: string) {
  const session = await createVisitor(s);
  const token = session.visitorToken;
  await api(s, 'PATCH', '/api/visitors/me', { token, body: { name: 'Vera', email } });
  const socket = await connectVisitor(s, token);
  const started = await startWithProof(socket, {
    content: 'Where is my order?',
    clientId: newClientId(),
  });
  if (!started.ok) throw new Error(JSON.stringify(started.error));
  socket.disconnect();
  const id = started.data.conversation.id;
  const before = mailTo(email).length;
  await api(s, 'POST', '/api/messages', {
    token: admin.token,
    body: { conversationId: id, content: 'It left today', clientId: newClientId(), type: 'text' },
  });
  await waitFor(() => mailTo(email).length === before + 1);
  const replyTo = mailTo(email).at(-1)?.replyTo?.value[0]?.address ?? '';
  expect(replyTo).toMatch(/@reply\.acme\.example$/);
  return { token, id, replyTo };
}

describe('what a visitor can make Parley email', () => {
  it('1. a new visitor asking for a transcript to any address sends it a code only, no chat text', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, SPAM);
    const id = chat.started.conversation.id;
    const token = chat.session.visitorToken;

    const asked = await transcript(s, token, id, { email: 'victim@example.com' });
    expect(asked).toMatchObject({
      status: 202,
      body: { to: 'victim@example.com', codeSent: true },
    });
    await waitFor(() => mailTo('victim@example.com').length === 1);
    await settle();
    const [code] = mailTo('victim@example.com');
    expect(mailTo('victim@example.com')).toHaveLength(1);
    // A fixed text: nothing the visitor wrote, no link, no reply address.
    for (const part of [code?.subject, code?.text, code?.html || '']) {
      expect(part).not.toMatch(/PRIZE|prize\.evil|https?:/);
    }
    expect(code?.replyTo).toBeUndefined();
    expect(code?.subject).toMatch(/^\d{6} is your code for Acme Support$/);

    // A wrong code is refused and sends nothing; the right one sends the transcript.
    const wrong = await transcript(s, token, id, {
      code: codeIn(code) === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('That is not the code we emailed');
    const right = await transcript(s, token, id, { code: codeIn(code) });
    expect(right).toMatchObject({ status: 202, body: { to: 'victim@example.com' } });
    expect(right.body.codeSent).toBeUndefined();
    await waitFor(() => mailTo('victim@example.com').length === 2);
    expect(mailTo('victim@example.com')[1]?.text).toContain('WIN A PRIZE');
    // Shown once, owned from then on: the next transcript needs no code.
    await api(s, 'POST', '/api/messages', {
      token: admin.token,
      body: {
        conversationId: id,
        content: 'Anything else?',
        clientId: newClientId(),
        type: 'text',
      },
    });
    expect((await transcript(s, token, id, {})).body).toEqual({ to: 'victim@example.com' });
    await waitFor(() => mailTo('victim@example.com').length === 3);
  });

  it('2. a code is tried five times at most, then a new one is needed', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const chat = await startVisitorChat(s, SPAM);
    const id = chat.started.conversation.id;
    const token = chat.session.visitorToken;
    await transcript(s, token, id, { email: 'guess@example.com' });
    await waitFor(() => mailTo('guess@example.com').length === 1);
    const code = codeIn(mailTo('guess@example.com')[0]);
    const wrong = code === '999999' ? '999998' : '999999';
    await attack(server.database, async () => {
      for (let i = 0; i < 5; i++) {
        expect((await transcript(s, token, id, { code: wrong })).status).toBe(400);
      }
      const late = await transcript(s, token, id, { code });
      expect(late.status).toBe(400);
      expect(late.body.error.message).toBe(
        'The code has expired or was replaced: ask for a new one',
      );
    });
    await settle();
    expect(mailTo('guess@example.com')).toHaveLength(1);
  });

  it('3. one address named by many visitors from many IPs gets a few codes a day, then nothing', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const allowed = limits.emailCodesPerAddress.limit;
    const statuses: number[] = [];
    for (let i = 0; i < allowed + 4; i++) {
      const chat = await startVisitorChat(s, SPAM);
      const reply = await transcript(
        s,
        chat.session.visitorToken,
        chat.started.conversation.id,
        { email: 'target@example.com' },
        `203.0.113.${i + 1}`,
      );
      statuses.push(reply.status);
      if (reply.status === 429) expect(reply.body.error.code).toBe('rate_limited');
    }
    expect(statuses).toEqual([...Array<number>(allowed).fill(202), ...Array<number>(4).fill(429)]);
    await settle();
    expect(mailTo('target@example.com')).toHaveLength(allowed);
  });

  it('4. a script making visitors from one IP gets a few codes an hour, whatever the addresses', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const allowed = limits.emailCodesPerIp.limit;
    const statuses: number[] = [];
    for (let i = 0; i < allowed + 3; i++) {
      const chat = await startVisitorChat(s, SPAM);
      const reply = await transcript(
        s,
        chat.session.visitorToken,
        chat.started.conversation.id,
        { email: `sweep${i}@example.com` },
        '192.0.2.66',
      );
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([...Array<number>(allowed).fill(202), ...Array<number>(3).fill(429)]);
    await settle();
    expect(emailServer.smtp.received.filter((m) => toOf(m).startsWith('sweep'))).toHaveLength(
      allowed,
    );
  });

  it('5. the same request twice sends one code, and one transcript', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const chat = await startVisitorChat(s, 'Hello');
    const id = chat.started.conversation.id;
    const token = chat.session.visitorToken;
    const twice = await Promise.all([
      transcript(s, token, id, { email: 'twice@example.com' }),
      transcript(s, token, id, { email: 'twice@example.com' }),
    ]);
    expect(twice.map((r) => r.body)).toEqual([
      { to: 'twice@example.com', codeSent: true },
      { to: 'twice@example.com', codeSent: true },
    ]);
    await waitFor(() => mailTo('twice@example.com').length === 1);
    await settle();
    expect(mailTo('twice@example.com')).toHaveLength(1);
    const code = codeIn(mailTo('twice@example.com')[0]);
    expect((await transcript(s, token, id, { code })).status).toBe(202);
    expect((await transcript(s, token, id, {})).body).toEqual({ to: 'twice@example.com' });
    await waitFor(() => mailTo('twice@example.com').length === 2);
    await settle();
    expect(mailTo('twice@example.com')).toHaveLength(2);
  });

  it("6. agents' replies to an address nobody confirmed name no site the visitor made up, and a bot's go nowhere", async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const bot = await api(s, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Echo', scope: 'full', bot: { name: 'Echo Bot' } },
    });
    expect(bot.status).toBe(201);
    const session = await createVisitor(s);
    const token = session.visitorToken;
    await api(s, 'PATCH', '/api/visitors/me', { token, body: { email: 'stranger@example.com' } });
    const socket = await connectVisitor(s, token);
    await socket.timeout(5000).emitWithAck('page.view', {
      url: 'https://call-now-prize.evil.example/claim',
      title: 'x',
    });
    const started = await startWithProof(socket, {
      content: SPAM,
      clientId: newClientId(),
    });
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    socket.disconnect();
    const id = started.data.conversation.id;
    // A bot that repeats what it is told: its words are the visitor's.
    await api(s, 'POST', '/api/messages', {
      token: bot.body.secret,
      body: {
        conversationId: id,
        content: `You said: ${SPAM}`,
        clientId: newClientId(),
        type: 'text',
      },
    });
    await settle();
    await settle();
    expect(mailTo('stranger@example.com')).toHaveLength(0);
    // A person's answer is emailed, with nothing the visitor chose in it.
    await api(s, 'POST', '/api/messages', {
      token: admin.token,
      body: {
        conversationId: id,
        content: 'How can we help?',
        clientId: newClientId(),
        type: 'text',
      },
    });
    await waitFor(() => mailTo('stranger@example.com').length === 1);
    const [email] = mailTo('stranger@example.com');
    expect(email?.text).toContain('How can we help?');
    for (const part of [email?.subject, email?.text, email?.html || '', email?.from?.text]) {
      expect(part).not.toMatch(/PRIZE|evil\.example/);
    }
  });

  it('7. transcripts to an address the visitor owns are capped per conversation and per visitor', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const { token, id, replyTo } = await emailedVisitor(s, admin, 'keen@example.com');
    // Replying from it shows the address is theirs: no code is needed from here on.
    await sendMail({ to: replyTo, from: 'keen@example.com', text: 'Mine indeed' });
    await waitFor(async () =>
      (await messagesOf(s, admin.token, id)).some((m) => m.content === 'Mine indeed'),
    );
    const transcripts = () =>
      emailServer.smtp.received.filter((m) => /^Your chat with/.test(m.subject ?? '')).length;
    // Each after a new answer: the same transcript asked for again is a repeat, not a new one.
    const askAfterAnAnswer = async (conversationId: string) => {
      await api(s, 'POST', '/api/messages', {
        token: admin.token,
        body: { conversationId, content: 'One more thing', clientId: newClientId(), type: 'text' },
      });
      const reply = await transcript(s, token, conversationId, {});
      if (reply.status === 429) expect(reply.body.error.code).toBe('rate_limited');
      return reply.status;
    };

    const first: number[] = [];
    for (let i = 0; i <= limits.transcriptsPerConversation.limit; i++) {
      first.push(await askAfterAnAnswer(id));
    }
    expect(first).toEqual([202, 202, 202, 429]);
    // Another chat of the same visitor: the visitor's own cap ends it.
    await api(s, 'PATCH', `/api/conversations/${id}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    const socket = await connectVisitor(s, token);
    const started = await startWithProof(socket, {
      content: 'And another question',
      clientId: newClientId(),
    });
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    socket.disconnect();
    const second: number[] = [];
    for (let i = 0; i < 3; i++) second.push(await askAfterAnAnswer(started.data.conversation.id));
    expect(second).toEqual([202, 202, 429]);
    await waitFor(() => transcripts() === limits.transcriptsPerVisitor.limit);
    await settle();
    expect(transcripts()).toBe(limits.transcriptsPerVisitor.limit);
  });

  it("8. agents' replies to one address are capped per hour; the rest wait, none is lost", async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const allowed = limits.unseenRepliesPerAddress.limit;
    // Chats from one address, each answered while the visitor is away: one email each.
    await Promise.all(
      Array.from({ length: allowed + 1 }, async (_, i) => {
        const chat = await startVisitorChat(s, `Question ${i}`);
        await api(s, 'PATCH', '/api/visitors/me', {
          token: chat.session.visitorToken,
          body: { email: 'busy@example.com' },
        });
        chat.socket.disconnect();
        await api(s, 'POST', '/api/messages', {
          token: admin.token,
          body: {
            conversationId: chat.started.conversation.id,
            content: `Answer ${i}`,
            clientId: newClientId(),
            type: 'text',
          },
        });
      }),
    );
    await waitFor(() => mailTo('busy@example.com').length === allowed, 10_000);
    await settle();
    expect(mailTo('busy@example.com')).toHaveLength(allowed);
    // The one over the limit waits for the hour to pass, its reply still to be emailed.
    const waiting = await server.database.db.execute(
      sql`select count(*)::int as n from jobs where kind = 'email-unseen-replies'
            and status = 'queued' and run_at > now() + interval '1 minute'`,
    );
    expect((waiting as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
  });
});

describe('what a reply address lets anyone store', () => {
  it('9. a reply from another sender, or a bounce, is refused and stores nothing', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const { id, replyTo } = await emailedVisitor(s, admin, 'vera@example.com');
    await attack(server.database, async () => {
      const spoofed = await refusedWith({
        to: replyTo,
        from: 'mallory@evil.test',
        text: 'Please refund me to IBAN XX00 EVIL',
      });
      expect(spoofed.code).toBe(550);
      expect(spoofed.response).toMatch(/only from the address Parley wrote to/);
      // The visitor's address in the envelope does not make another From the visitor's.
      const mixed = await refusedWith({
        to: replyTo,
        from: 'mallory@evil.test',
        envelope: { from: 'vera@example.com', to: replyTo },
        text: 'Refund me',
      });
      expect(mixed.code).toBe(550);
      // A bounce (empty envelope sender) is never a message.
      const bounce = await refusedWith({
        to: replyTo,
        envelope: { from: '', to: replyTo },
        text: 'Delivery failed',
      });
      expect(bounce.code).toBe(550);
      await settle();
    });
    expect((await messagesOf(s, admin.token, id)).map((m) => m.content)).not.toContain(
      'Please refund me to IBAN XX00 EVIL',
    );
  });

  it('10. a reply from the visitor is shown as by email, from their address, which it proves theirs', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const { token, id, replyTo } = await emailedVisitor(s, admin, 'vera@example.com');
    await sendMail({ to: replyTo, from: 'Vera V <Vera@Example.com>', text: 'Thanks!' });
    await waitFor(async () =>
      (await messagesOf(s, admin.token, id)).some((m) => m.content === 'Thanks!'),
    );
    const stored = (await messagesOf(s, admin.token, id)).find((m) => m.content === 'Thanks!');
    expect(stored).toMatchObject({ sender: 'visitor', emailFrom: 'vera@example.com' });
    // Typed in the widget, a message has no such mark.
    const typed = (await messagesOf(s, admin.token, id)).find(
      (m) => m.content === 'Where is my order?',
    );
    expect(typed).not.toHaveProperty('emailFrom');
    // Replying from it showed the address is theirs: a transcript goes with no code.
    const asked = await transcript(s, token, id, {});
    expect(asked).toMatchObject({ status: 202, body: { to: 'vera@example.com' } });
    expect(asked.body.codeSent).toBeUndefined();
  });

  it('11. a flood of replies is told to try later past the widget limit, per conversation and per sender', async () => {
    const s = server.current;
    emailServer.smtp.received.length = 0;
    const admin = await createAdmin(s);
    const a = await emailedVisitor(s, admin, 'flood@example.com');
    const b = await emailedVisitor(s, admin, 'flood@example.com');
    const allowed = limits.inboundEmailsPerConversation.limit;
    const transport = emailServer.inboundTransport({ maxConnections: 5 });
    const results = await Promise.all(
      Array.from({ length: allowed + 20 }, (_, i) =>
        transport
          .sendMail({
            from: 'flood@example.com',
            to: a.replyTo,
            subject: 'Re',
            text: `flood ${i}`,
            messageId: `<flood-${i}@example.com>`,
          })
          .then(
            () => 250,
            (e: { responseCode?: number }) => e.responseCode,
          ),
      ),
    );
    expect(results.filter((r) => r === 250)).toHaveLength(allowed);
    expect(results.filter((r) => r === 451)).toHaveLength(20);
    // The same sender, into another conversation: still too many for now.
    const other = await refusedWith({ to: b.replyTo, from: 'flood@example.com', text: 'more' });
    expect(other.code).toBe(451);
    expect(other.response).toMatch(/try again later/i);
    transport.close();
    await waitFor(
      async () =>
        (await messagesOf(s, admin.token, a.id)).filter((m) => m.content.startsWith('flood '))
          .length === allowed,
    );
    await settle();
    expect(
      (await messagesOf(s, admin.token, a.id)).filter((m) => m.content.startsWith('flood ')),
    ).toHaveLength(allowed);
  });
});
