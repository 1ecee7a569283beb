import { describe, expect, it } from 'vitest';
import { limits } from '../src/services/rate-limit.js';
import { api, createAdmin, joinTeam } from './factories.js';
import { useServer } from './harness.js';

// The attack suite, continued (issue 36, item 7): the admin-only actions that had no limit. A
// stolen admin session or token sweeping settings, secrets and people at script speed is held
// to a person's pace; another admin goes on. Malformed requests change nothing and do not count.

const server = useServer();

describe('limits of the admin-only actions', () => {
  it("holds one admin's changes to a person's pace, and not another admin's", async () => {
    const s = server.current;
    const ada = await createAdmin(s);
    const bea = await joinTeam(s, ada, {
      name: 'Bea Admin',
      email: 'bea@example.com',
      password: 'correct horse battery',
      role: 'admin',
    });
    // Malformed: refused as such, not counted.
    for (let i = 0; i < 5; i++) {
      const bad = await api(s, 'PATCH', '/api/settings/widget', {
        token: bea.token,
        body: { color: 'not a colour' },
      });
      expect(bad.status).toBe(400);
    }
    const statuses: number[] = [];
    for (let i = 0; i < limits.adminChangesPerActor.limit + 2; i++) {
      const changed = await api(s, 'PATCH', '/api/settings/widget', {
        token: bea.token,
        body: { title: `Title ${i}` },
      });
      statuses.push(changed.status);
    }
    expect(statuses.filter((x) => x === 200)).toHaveLength(
      // joinTeam's invitation was one of Ada's changes, not Bea's.
      limits.adminChangesPerActor.limit,
    );
    expect(statuses.slice(-2)).toEqual([429, 429]);
    const refused = await api(s, 'PATCH', '/api/settings/widget', {
      token: bea.token,
      body: { title: 'Past the limit' },
    });
    expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // What she changed last stands; past the limit, nothing more was.
    const settings = await api(s, 'GET', '/api/settings/widget', { token: ada.token });
    expect(settings.body.settings.title).toBe(`Title ${limits.adminChangesPerActor.limit - 1}`);
    // Reading is not held up, and another admin changes on.
    expect((await api(s, 'GET', '/api/settings/widget', { token: bea.token })).status).toBe(200);
    const other = await api(s, 'PATCH', '/api/settings/widget', {
      token: ada.token,
      body: { title: 'Ada was here' },
    });
    expect(other.status).toBe(200);
  });

  it('holds secrets shown to a few an hour', async () => {
    const s = server.current;
    const ada = await createAdmin(s);
    const reveals: number[] = [];
    for (let i = 0; i < limits.secretRevealsPerAdmin.limit + 1; i++) {
      const shown = await api(s, 'GET', '/api/settings/identity/secret', { token: ada.token });
      reveals.push(shown.status);
    }
    expect(reveals.filter((x) => x === 200)).toHaveLength(limits.secretRevealsPerAdmin.limit);
    expect(reveals.at(-1)).toBe(429);
  });
});
