import type { ProofOfWork, VisitorSessionReply } from '@parley/protocol';
import { createChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { createHmac, randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { limits } from '../src/services/rate-limit.js';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  handshakeError,
  type VisitorClient,
} from './factories.js';
import { track, type TestServer } from './harness.js';
import { challengeOf, solveProof } from './pow.js';
import { useEmailServer } from './support/email-server.js';

// The offline form and a visitor's transcript cost a proof of work (issue 36, item 7): the
// server signs a challenge (altcha), the widget solves it, and each solution counts once, on
// any instance. Solved here for real, at the tests' cost of 1 PBKDF2 round a try (harness.ts).
// Requests come "from" addresses through X-Forwarded-For, believed with TRUST_PROXY.

const { server, mailTo } = useEmailServer({ TRUST_PROXY: 'true' });
const settle = () => new Promise((r) => setTimeout(r, 1000));

async function visitorFrom(s: TestServer, ip: string, email?: string) {
  const session = await api<VisitorSessionReply>(s, 'POST', '/api/visitors/session', {
    body: {},
    headers: { 'x-forwarded-for': ip },
  });
  const token = session.body.visitorToken;
  if (email) await api(s, 'PATCH', '/api/visitors/me', { token, body: { email } });
  const socket: VisitorClient = track(
    io(`${s.url}/visitor`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { visitorToken: token },
      extraHeaders: { 'x-forwarded-for': ip },
    }),
  );
  const result = await Promise.race([
    new Promise<'connected'>((resolve) => socket.once('connect', () => resolve('connected'))),
    handshakeError(socket),
  ]);
  if (result !== 'connected') throw new Error('refused');
  return { token, socket };
}

const start = (socket: VisitorClient, proof?: ProofOfWork, clientId = randomUUID()) =>
  socket
    .timeout(5000)
    .emitWithAck('conversation.start', { content: 'Call me back', clientId, proof });

const conversations = async (s: TestServer, token: string) =>
  (await api(s, 'GET', '/api/conversations', { token })).body.items as unknown[];

describe('the proof of work of the offline form', () => {
  it('asks one while the site is away, takes a solved one once, and stores nothing before', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { socket } = await visitorFrom(s, '198.51.100.10');
    const asked = await start(socket);
    expect(asked).toMatchObject({ ok: false, error: { code: 'proof_required' } });
    if (asked.ok) throw new Error('unreachable');
    expect(await conversations(s, admin.token)).toEqual([]);

    const proof = await solveProof(challengeOf(asked.error));
    const clientId = randomUUID();
    const started = await start(socket, proof, clientId);
    expect(started.ok).toBe(true);
    // The same start again (its ack was lost, say) finds the conversation: no second proof.
    const again = await start(socket, undefined, clientId);
    expect(again.ok).toBe(true);
    expect(await conversations(s, admin.token)).toHaveLength(1);

    // The same proof for another visitor: spent.
    const other = await visitorFrom(s, '198.51.100.11');
    const replayed = await start(other.socket, proof);
    expect(replayed).toMatchObject({
      ok: false,
      error: { code: 'proof_required', message: expect.stringMatching(/used already/) },
    });
    expect(await conversations(s, admin.token)).toHaveLength(1);
  });

  it('refuses a tampered, wrong, foreign or expired proof, each with a new challenge', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { socket } = await visitorFrom(s, '198.51.100.20');
    const asked = await start(socket);
    if (asked.ok) throw new Error('no proof asked');
    const good = await solveProof(challengeOf(asked.error));

    // Made easier after signing: the signature no longer matches.
    const tampered: ProofOfWork = {
      ...good,
      challenge: {
        ...good.challenge,
        parameters: { ...good.challenge.parameters, keyPrefix: '00' },
      },
    };
    // A key that is not the solution.
    const wrong: ProofOfWork = {
      ...good,
      solution: { ...good.solution, derivedKey: 'ab'.repeat(32) },
    };
    // Signed by another server's secret, and solved.
    const elsewhere = await solveProof(
      (await createChallenge({
        algorithm: 'PBKDF2/SHA-256',
        cost: 1,
        counter: 5,
        deriveKey,
        expiresAt: new Date(Date.now() + 60_000),
        hmacSignatureSecret: 'another-server',
        hmacKeySignatureSecret: 'another-server-keys',
      })) as ProofOfWork['challenge'],
    );
    // Signed with this server's own key (as the harness's secret derives it), expired.
    const subkey = (purpose: string) =>
      createHmac('sha256', new TextEncoder().encode('test-secret-test-secret-test-secret-0123'))
        .update(`parley:${purpose}`)
        .digest('hex');
    const expired = await solveProof(
      (await createChallenge({
        algorithm: 'PBKDF2/SHA-256',
        cost: 1,
        counter: 5,
        deriveKey,
        expiresAt: new Date(Date.now() - 1000),
        hmacSignatureSecret: subkey('proof-of-work'),
        hmacKeySignatureSecret: subkey('proof-of-work-keys'),
      })) as ProofOfWork['challenge'],
    );
    for (const proof of [tampered, wrong, elsewhere, expired]) {
      const reply = await start(socket, proof);
      expect(reply).toMatchObject({ ok: false, error: { code: 'proof_required' } });
      if (reply.ok) throw new Error('unreachable');
      expect(challengeOf(reply.error).signature).toMatch(/^[0-9a-f]{64}$/);
    }
    // Not even a shape: the one validation error.
    const malformed = await socket.timeout(5000).emitWithAck('conversation.start', {
      content: 'Hi',
      clientId: randomUUID(),
      proof: { challenge: 'x' } as never,
    });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await conversations(s, admin.token)).toEqual([]);
    // The good one still works: refusals spent nothing.
    expect((await start(socket, good)).ok).toBe(true);
  });

  it('asks nothing while an agent is online', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Olive Online' });
    await connectAgent(s, agent.token);
    const { socket } = await visitorFrom(s, '198.51.100.30');
    expect((await start(socket)).ok).toBe(true);
  });

  it('caps the offline form per address, past every proof', { timeout: 90_000 }, async () => {
    const s = server.current;
    await createAdmin(s);
    const ip = '198.51.100.40';
    const codes: string[] = [];
    for (let i = 0; i < limits.offlineFormPerIp.limit + 2; i++) {
      const { socket } = await visitorFrom(s, ip);
      const asked = await start(socket);
      if (asked.ok) throw new Error('no proof asked');
      const reply = await start(socket, await solveProof(challengeOf(asked.error)));
      codes.push(reply.ok ? 'ok' : reply.error.code);
      socket.disconnect();
    }
    expect(codes.filter((c) => c === 'ok')).toHaveLength(limits.offlineFormPerIp.limit);
    expect(codes.slice(-2)).toEqual(['rate_limited', 'rate_limited']);
    // Another address is not held up by it.
    const { socket } = await visitorFrom(s, '198.51.100.41');
    const asked = await start(socket);
    if (asked.ok) throw new Error('no proof asked');
    const elsewhere = await start(socket, await solveProof(challengeOf(asked.error)));
    expect(elsewhere.ok ? 'ok' : elsewhere.error).toBe('ok');
  });
});

describe('the proof of work of a visitor-triggered email', () => {
  it("asks one before a transcript's code or the transcript, and none of the agent", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Olive Online' });
    await connectAgent(s, agent.token);
    const { token, socket } = await visitorFrom(s, '198.51.100.50');
    const started = await start(socket);
    if (!started.ok) throw new Error('not started');
    const id = started.data.conversation.id;
    const transcript = (body: object, as = token) =>
      api(s, 'POST', `/api/conversations/${id}/transcript`, {
        token: as,
        body,
        headers: { 'x-forwarded-for': '198.51.100.50' },
      });

    const asked = await transcript({ email: 'me@example.com' });
    expect(asked).toMatchObject({ status: 403, body: { error: { code: 'proof_required' } } });
    await settle();
    expect(mailTo('me@example.com')).toHaveLength(0);
    // The address was not kept either: nothing moved before the proof.
    const seen = await api(s, 'GET', `/api/conversations/${id}`, { token: admin.token });
    expect(seen.body.conversation.visitor.email).toBeNull();

    const proof = await solveProof(challengeOf(asked.body.error));
    // Past the sites' 5 s cache: the code's sender is read again, which once happened inside
    // the code's transaction and, on the embedded database's one connection, waited for ever.
    await new Promise((r) => setTimeout(r, 5_100));
    expect(await transcript({ email: 'me@example.com', proof })).toMatchObject({
      status: 202,
      body: { codeSent: true },
    });
    // Spent: the same proof again is asked anew, and sends nothing more.
    expect(await transcript({ email: 'me@example.com', proof })).toMatchObject({ status: 403 });
    await settle();
    expect(mailTo('me@example.com')).toHaveLength(1);
    // The code itself needs no proof: the address was paid for by the email it came in.
    const code = /\b(\d{6})\b/.exec(mailTo('me@example.com')[0]?.text ?? '')?.[1];
    expect(await transcript({ code })).toMatchObject({ status: 202 });
    // An agent sends one without any.
    expect(await transcript({}, admin.token)).toMatchObject({ status: 202 });
  });
});
