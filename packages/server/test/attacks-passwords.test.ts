import { describe, expect, it } from 'vitest';
import { attack as attackOn } from './attack-kit.js';
import { api, createAdmin, createAgent, login, type SignedInAgent } from './factories.js';
import { useServer } from './harness.js';

/**
 * The attack suite, for guessable passwords: the ones an attacker tries first are refused on
 * every path that sets one, with the reason in the message (what the dashboard shows), and the
 * refusal changes nothing.
 */
const server = useServer({ shared: true });
const attack = (run: () => Promise<void>) => attackOn(server.database, run);

let admin: SignedInAgent;

const weak = { status: 400, code: 'validation_failed', message: /^This password is too easy/ };

describe('guessable passwords', () => {
  it('1. the first-run admin set-up refuses a breached password and creates no account', () =>
    attack(async () => {
      // Not in the hundred-password list Parley kept before; among zxcvbn's breached ones.
      const res = await api(server.current, 'POST', '/api/auth/register', {
        body: { name: 'Ada', email: 'ada@example.com', password: 'Passw0rd!' },
      });
      expect(res.status).toBe(weak.status);
      expect(res.body.error.code).toBe(weak.code);
      expect(res.body.error.message).toMatch(weak.message);
      expect(res.headers.get('set-cookie')).toBeNull();
    }));

  it('2. an invited person cannot choose their own name or email as password', async () => {
    admin = await createAdmin(server.current);
    const invited = await api(server.current, 'POST', '/api/invitations', {
      token: admin.token,
      body: { name: 'Grace Hopper', email: 'grace.hopper@example.com', sendEmail: false },
    });
    await attack(async () => {
      for (const password of ['grace.hopper@example.com', 'gracehopper', 'Hopper2024!']) {
        const res = await api(server.current, 'POST', '/api/invitations/accept', {
          body: { token: invited.body.token, password },
        });
        expect(res.status, password).toBe(weak.status);
        expect(res.body.error.message).toMatch(weak.message);
        expect(res.body.error.details).toEqual([
          { path: 'password', message: res.body.error.message },
        ]);
      }
    });
  });

  it('3. a refused new password ends no session and leaves the old one working', async () => {
    const agent = await createAgent(server.current, admin, { name: 'Linus Agent' });
    await attack(async () => {
      const res = await api(server.current, 'POST', '/api/auth/password', {
        token: agent.token,
        body: { currentPassword: 'agent password 123', newPassword: 'qwertyuiop123' },
      });
      expect(res.status).toBe(weak.status);
      expect(res.body.error.message).toMatch(weak.message);
      expect(res.body.error.details).toEqual([
        { path: 'newPassword', message: res.body.error.message },
      ]);
    });
    expect((await api(server.current, 'GET', '/api/auth/me', { token: agent.token })).status).toBe(
      200,
    );
    await login(server.current, agent.user.email, 'agent password 123');
  });
});
