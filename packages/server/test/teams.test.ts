import type { Team } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { attack, refusal } from './attack-kit.js';
import { api, createAdmin, createAgent, createToken } from './factories.js';
import { useServer } from './harness.js';

// Teams (issue 34): admins make them, put agents in them and give them business hours; every
// agent reads them, with whether their hours have them open now.
const server = useServer();

const berlinOffice = {
  timeZone: 'Europe/Berlin',
  weekly: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
  ),
  exceptions: { '2026-12-25': [] },
};

describe('teams', () => {
  it('an admin makes a team with members and hours, which every agent sees', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const carol = await createAgent(s, admin, { name: 'Carol' });
    const dan = await createAgent(s, admin, { name: 'Dan' });
    const made = await api(s, 'POST', '/api/teams', {
      token: admin.token,
      body: { name: 'Billing', memberIds: [carol.user.id, dan.user.id], schedule: berlinOffice },
    });
    expect(made.status).toBe(201);
    const team: Team = made.body.team;
    expect(team).toMatchObject({ name: 'Billing', schedule: berlinOffice });
    expect(new Set(team.memberIds)).toEqual(new Set([carol.user.id, dan.user.id]));
    // Open now or not, it says until or from when, and only that.
    expect(team.hours).not.toBeNull();
    const { open, closesAt, opensAt } = team.hours!;
    expect(open ? [closesAt !== null, opensAt] : [opensAt !== null, closesAt]).toEqual([
      true,
      null,
    ]);

    // A team without hours is always open: it has none to show.
    await api(s, 'POST', '/api/teams', { token: admin.token, body: { name: 'Technical' } });
    const listed = await api(s, 'GET', '/api/teams', { token: carol.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: Team) => [t.name, t.memberIds.length, t.hours])).toEqual([
      ['Billing', 2, team.hours],
      ['Technical', 0, null],
    ]);
  });

  it('sets the members to exactly those given, and takes the hours away with null', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const carol = await createAgent(s, admin, { name: 'Carol' });
    const dan = await createAgent(s, admin, { name: 'Dan' });
    const { team } = (
      await api(s, 'POST', '/api/teams', {
        token: admin.token,
        body: { name: 'Billing', memberIds: [carol.user.id], schedule: berlinOffice },
      })
    ).body;
    const path = `/api/teams/${team.id}`;
    const moved = await api(s, 'PATCH', path, {
      token: admin.token,
      body: { memberIds: [dan.user.id], schedule: null },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.team).toMatchObject({
      memberIds: [dan.user.id],
      schedule: null,
      hours: null,
    });
    const renamed = await api(s, 'PATCH', path, { token: admin.token, body: { name: 'Payments' } });
    expect(renamed.body.team).toMatchObject({ name: 'Payments', memberIds: [dan.user.id] });

    // Deleting the team leaves its agents as they were.
    expect((await api(s, 'DELETE', path, { token: admin.token })).status).toBe(204);
    expect((await api(s, 'GET', '/api/teams', { token: admin.token })).body.items).toEqual([]);
    const users = (await api(s, 'GET', '/api/users', { token: admin.token })).body.items;
    expect(users.map((u: { id: string }) => u.id)).toContain(dan.user.id);
    expect((await api(s, 'DELETE', path, { token: admin.token })).status).toBe(404);
  });

  it('a second team of the same name, in any capitalisation, is refused', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const body = { name: 'Billing' };
    expect((await api(s, 'POST', '/api/teams', { token: admin.token, body })).status).toBe(201);
    const technical = await api(s, 'POST', '/api/teams', {
      token: admin.token,
      body: { name: 'Technical' },
    });
    await attack(s.database, async () => {
      for (const name of ['Billing', 'BILLING']) {
        const again = await api(s, 'POST', '/api/teams', { token: admin.token, body: { name } });
        expect(again.status).toBe(409);
        expect(again.body).toEqual(refusal('conflict', 'There is already a team by this name'));
      }
      const renamed = await api(s, 'PATCH', `/api/teams/${technical.body.team.id}`, {
        token: admin.token,
        body: { name: 'billing' },
      });
      expect(renamed.status).toBe(409);
    });
  });

  it('only admins change teams: agents and read tokens are refused and change nothing', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const carol = await createAgent(s, admin, { name: 'Carol' });
    const { team } = (
      await api(s, 'POST', '/api/teams', { token: admin.token, body: { name: 'Billing' } })
    ).body;
    const reader = await createToken(s, admin.token, { name: 'Reports', scope: 'read' });
    await attack(s.database, async () => {
      for (const token of [carol.token, reader.secret]) {
        const tries = [
          api(s, 'POST', '/api/teams', { token, body: { name: 'Mine' } }),
          api(s, 'PATCH', `/api/teams/${team.id}`, { token, body: { memberIds: [carol.user.id] } }),
          api(s, 'DELETE', `/api/teams/${team.id}`, { token }),
        ];
        for (const res of await Promise.all(tries)) expect(res.status).toBe(403);
      }
      // Without a token, nothing at all, not even the list.
      expect((await api(s, 'GET', '/api/teams')).status).toBe(401);
    });
    expect((await api(s, 'GET', '/api/teams', { token: reader.secret })).status).toBe(200);
  });

  it('refuses hours in a bare offset or a made-up zone, bad times, and unknown or deactivated members', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const gone = await createAgent(s, admin, { name: 'Gone' });
    await api(s, 'PATCH', `/api/users/${gone.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    const { team } = (
      await api(s, 'POST', '/api/teams', { token: admin.token, body: { name: 'Billing' } })
    ).body;
    const cases: Array<[body: object, path: string]> = [
      [{ schedule: { ...berlinOffice, timeZone: '+01:00' } }, 'schedule.timeZone'],
      [{ schedule: { ...berlinOffice, timeZone: 'Europe/Atlantis' } }, 'schedule.timeZone'],
      [
        { schedule: { ...berlinOffice, weekly: { mon: [{ start: '9:00', end: '17:00' }] } } },
        'schedule.weekly.mon.0.start',
      ],
      [
        { schedule: { ...berlinOffice, exceptions: { '2026-02-30': [] } } },
        'schedule.exceptions.2026-02-30',
      ],
      [{ memberIds: ['00000000-0000-4000-8000-000000000000'] }, 'memberIds.0'],
      [{ memberIds: [gone.user.id] }, 'memberIds.0'],
      [{ memberIds: [admin.user.id, admin.user.id] }, 'memberIds'],
      [{ name: '' }, 'name'],
    ];
    await attack(s.database, async () => {
      for (const [body, path] of cases) {
        for (const [method, url, payload] of [
          ['POST', '/api/teams', { name: 'Support', ...body }],
          ['PATCH', `/api/teams/${team.id}`, body],
        ] as const) {
          const res = await api(s, method, url, { token: admin.token, body: payload });
          expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
          expect(res.body.error.code).toBe('validation_failed');
          expect(
            res.body.error.details.map((d: { path: string }) => d.path),
            JSON.stringify(body),
          ).toContain(path);
        }
      }
      const missing = '00000000-0000-4000-8000-000000000000';
      const res = await api(s, 'PATCH', `/api/teams/${missing}`, {
        token: admin.token,
        body: { name: 'Ghosts' },
      });
      expect(res.status).toBe(404);
      expect(
        (await api(s, 'PATCH', '/api/teams/not-an-id', { token: admin.token, body: { name: 'X' } }))
          .status,
      ).toBe(400);
    });
  });
});
