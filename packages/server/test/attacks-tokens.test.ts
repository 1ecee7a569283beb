import type { ApiToken } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { attack, refusal } from './attack-kit.js';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  handshakeError,
  login,
  openSocket,
  waitFor,
  type AgentClient,
  createToken as createTokenFor,
} from './factories.js';
import { useServer } from './harness.js';

// Issue 32, items 2, 5 and 9: what an API token must not outlive or reach. A token never reads
// a secret; a token acting for (or made by) a deactivated person stops at once; revoking a
// token ends that token only, never its admin's browser sign-ins.
// The webhook is never sent to: it only has to exist, on this machine.
const server = useServer({ env: { WEBHOOKS_ALLOW_PRIVATE: 'true' } });

const createToken = (
  token: string,
  body: { name: string; scope: 'read' | 'full'; bot?: { name: string } },
) => createTokenFor(server.current, token, body);

async function createWebhook(token: string): Promise<string> {
  const res = await api(server.current, 'POST', '/api/webhooks', {
    token,
    body: { url: 'http://127.0.0.1:9/parley', events: ['conversation.created'] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.endpoint.id as string;
}

const stillConnected = async (socket: AgentClient): Promise<boolean> => {
  await new Promise((r) => setTimeout(r, 300));
  return socket.connected;
};

describe('attacks: secrets and tokens', () => {
  it('no token reads or rotates a secret; the admin signed in reads it and the reveal is recorded', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const hook = await createWebhook(admin.token);
    const read = await createToken(admin.token, { name: 'Reports', scope: 'read' });
    const full = await createToken(admin.token, { name: 'Zapier', scope: 'full' });

    // The identity settings name whether a secret is set, never the secret itself.
    const settings = await api(s, 'GET', '/api/settings/identity', { token: read.secret });
    expect(settings.status).toBe(200);
    expect(settings.body.settings).not.toHaveProperty('secret');

    const forbidden = refusal(
      'forbidden',
      'Secrets are shown and changed only by an admin signed in to the dashboard, not by a token',
    );
    await attack(s.database, async () => {
      for (const secret of [read.secret, full.secret]) {
        for (const [method, path] of [
          ['GET', '/api/settings/identity/secret'],
          ['GET', `/api/webhooks/${hook}/secret`],
          ['POST', `/api/webhooks/${hook}/rotate-secret`],
          ['POST', '/api/settings/identity/rotate'],
        ] as const) {
          // Twice: a second identical request is refused alike.
          for (let i = 0; i < 2; i++) {
            const res = await api(s, method, path, { token: secret });
            expect(res.status, `${method} ${path}`).toBe(403);
            // A read token is stopped sooner, at the write; any other answer names the rule.
            if (method === 'GET' || secret === full.secret) expect(res.body).toEqual(forbidden);
          }
        }
      }
    });

    // The admin in the dashboard reads it, and the settings then say who last did and when.
    const revealed = await api(s, 'GET', '/api/settings/identity/secret', { token: admin.token });
    expect(revealed.status).toBe(200);
    expect(revealed.body.secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(revealed.headers.get('cache-control')).toContain('no-store');
    const after = await api(s, 'GET', '/api/settings/identity', { token: admin.token });
    expect(after.body.settings.secretRevealed).toMatchObject({ by: 'Ada Admin' });
    const hookSecret = await api(s, 'GET', `/api/webhooks/${hook}/secret`, { token: admin.token });
    expect(hookSecret.status).toBe(200);
  });

  it('a deactivated admin’s tokens stop at once, over REST and sockets, and the list says why', async () => {
    const s = server.current;
    const owner = await createAdmin(s);
    const other = await createAgent(s, owner, { name: 'Second Admin', role: 'admin' });
    const bot = await createToken(other.token, {
      name: 'Helper bot',
      scope: 'full',
      bot: { name: 'Helper Bot' },
    });
    const own = await createToken(other.token, { name: 'Own sync', scope: 'read' });
    const botSocket = await connectAgent(s, bot.secret);
    const ownSocket = await connectAgent(s, own.secret);
    const botClosed = new Promise<string>((r) => botSocket.once('disconnect', r));
    const ownClosed = new Promise<string>((r) => ownSocket.once('disconnect', r));

    const off = await api(s, 'PATCH', `/api/users/${other.user.id}`, {
      token: owner.token,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    expect(await botClosed).toBe('io server disconnect');
    expect(await ownClosed).toBe('io server disconnect');
    for (const secret of [bot.secret, own.secret]) {
      expect((await api(s, 'GET', '/api/conversations', { token: secret })).status).toBe(401);
      const again = openSocket(s, '/agent', { token: secret });
      expect((await handshakeError(again)).data).toEqual({ code: 'unauthorized' });
    }
    const listed = (await api(s, 'GET', '/api/tokens', { token: owner.token })).body
      .items as ApiToken[];
    const reasons = Object.fromEntries(listed.map((t) => [t.name, t.stoppedReason]));
    expect(reasons).toEqual({
      'Helper bot': 'creator_deactivated',
      'Own sync': 'user_deactivated',
    });

    // Reactivated, the person's tokens work again (they were stopped, not revoked).
    await api(s, 'PATCH', `/api/users/${other.user.id}`, {
      token: owner.token,
      body: { active: true },
    });
    expect((await api(s, 'GET', '/api/conversations', { token: bot.secret })).status).toBe(200);
    const relisted = (await api(s, 'GET', '/api/tokens', { token: owner.token })).body
      .items as ApiToken[];
    expect(relisted.map((t) => t.stoppedReason)).toEqual([null, null]);
  });

  it('revoking a token ends that token only: its admin’s browser sign-ins stay connected', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const email = (await api(s, 'GET', '/api/auth/me', { token: admin.token })).body.user.email;
    const secondTab = await login(s, email, 'correct horse battery');
    const tabs = [await connectAgent(s, admin.token), await connectAgent(s, secondTab.token)];
    const { token, secret } = await createToken(admin.token, { name: 'Zapier', scope: 'full' });
    const tokenSocket = await connectAgent(s, secret);
    const closed = new Promise<string>((r) => tokenSocket.once('disconnect', r));

    const revoked = await api(s, 'DELETE', `/api/tokens/${token.id}`, { token: admin.token });
    expect(revoked.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    for (const tab of tabs) expect(await stillConnected(tab)).toBe(true);
    for (const tab of [admin, secondTab]) {
      expect((await api(s, 'GET', '/api/auth/me', { token: tab.token })).status).toBe(200);
      const refreshed = await api(s, 'POST', '/api/auth/refresh', { cookie: tab.cookie });
      expect(refreshed.status).toBe(200);
    }

    // Signing out of one tab ends that tab, not the other.
    const firstClosed = new Promise<string>((r) => tabs[0]!.once('disconnect', r));
    await api(s, 'POST', '/api/auth/logout', { token: admin.token, cookie: admin.cookie });
    expect(await firstClosed).toBe('io server disconnect');
    await waitFor(() => !tabs[0]!.connected);
    expect(await stillConnected(tabs[1]!)).toBe(true);
  });
});
