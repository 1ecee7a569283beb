import type { AuditEvent, AuditEventListReply, AuthReply } from '@parley/protocol';
import { apiRoutes } from '@parley/protocol/api-routes';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import { retentionTurn } from '../src/services/retention.js';
import { api, createAdmin, createAgent, createToken, type SignedInAgent } from './factories.js';
import { useServer, type TestServer } from './harness.js';

// The audit log (issue 36, item 5): every security-relevant and settings change is recorded
// with who, when, from which address and through which token; admins read it, filtered and
// paged, and download it as CSV; no route changes or deletes a record; it has its own
// retention. Requests come "from" addresses through X-Forwarded-For, believed with TRUST_PROXY.

const server = useServer({ env: { TRUST_PROXY: 'true', WEBHOOKS_ALLOW_PRIVATE: 'true' } });

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const ADMIN_IP = '198.51.100.7';
const STRANGER_IP = '203.0.113.66';

/** The first admin, registered from ADMIN_IP. */
async function registerAdmin(s: TestServer): Promise<SignedInAgent & { email: string }> {
  const email = 'ada@example.com';
  const res = await api<AuthReply>(s, 'POST', '/api/auth/register', {
    body: { name: 'Ada Admin', email, password: 'correct horse battery' },
    headers: from(ADMIN_IP),
  });
  expect(res.status).toBe(201);
  return { user: res.body.user, token: res.body.accessToken, cookie: '', email };
}

async function log(s: TestServer, token: string, query = ''): Promise<AuditEvent[]> {
  const res = await api<AuditEventListReply>(s, 'GET', `/api/audit-events${query}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

const one = (events: AuditEvent[], action: string, targetId?: string) => {
  const found = events.filter(
    (e) => e.action === action && (targetId === undefined || e.target?.id === targetId),
  );
  expect(found, action).toHaveLength(1);
  return found[0]!;
};

async function csv(s: TestServer, token: string, query = '') {
  const res = await fetch(`${s.url}/api/audit-events.csv${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A small RFC 4180 reader, enough for the test to read back what the server wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('the audit log', () => {
  it('records a scripted admin session: who, from where, through which token, before and after', async () => {
    const s = server.current;
    const admin = await registerAdmin(s);
    // Failed sign-ins: a wrong password and an unknown email answer alike, and both are kept.
    const wrong = await api(s, 'POST', '/api/auth/login', {
      body: { email: admin.email, password: 'not the password' },
      headers: from(STRANGER_IP),
    });
    const unknown = await api(s, 'POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'not the password' },
      headers: from(STRANGER_IP),
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);

    const signedIn = await api<AuthReply>(s, 'POST', '/api/auth/login', {
      body: { email: admin.email, password: 'correct horse battery' },
      headers: from(ADMIN_IP),
    });
    expect(signedIn.status).toBe(200);
    const token = signedIn.body.accessToken;

    const agent = await createAgent(s, admin, { name: 'Bob Agent' });
    const patchUser = (body: object) =>
      api(s, 'PATCH', `/api/users/${agent.user.id}`, { token, body, headers: from(ADMIN_IP) });
    expect((await patchUser({ role: 'admin', capacity: 3 })).status).toBe(200);
    expect((await patchUser({ active: false })).status).toBe(200);
    // Deactivated: the right password is refused like a wrong one, and the failure kept.
    const refused = await api(s, 'POST', '/api/auth/login', {
      body: { email: agent.user.email, password: 'agent password 123' },
      headers: from(STRANGER_IP),
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);
    expect((await patchUser({ active: true })).status).toBe(200);

    const apiToken = await api(s, 'POST', '/api/tokens', {
      token,
      body: { name: 'Zapier', scope: 'full' },
      headers: from(ADMIN_IP),
    });
    expect(apiToken.status).toBe(201);
    const tokenId = apiToken.body.token.id as string;
    const secret = apiToken.body.secret as string;
    // A settings change through the token, from the integration's address.
    const widget = await api(s, 'PATCH', '/api/settings/widget', {
      token: secret,
      body: { title: 'Talk to us', color: '#aa3300' },
      headers: from('192.0.2.10'),
    });
    expect(widget.status).toBe(200);
    expect(
      (await api(s, 'DELETE', `/api/tokens/${tokenId}`, { token, headers: from(ADMIN_IP) })).status,
    ).toBe(200);
    // Revoking it again changes nothing and records nothing.
    await api(s, 'DELETE', `/api/tokens/${tokenId}`, { token, headers: from(ADMIN_IP) });

    const endpoint = await api(s, 'POST', '/api/webhooks', {
      token,
      body: { url: 'http://127.0.0.1:9/parley', events: ['contact.erased'] },
      headers: from(ADMIN_IP),
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const endpointId = endpoint.body.endpoint.id as string;
    const revealed = await api(s, 'GET', `/api/webhooks/${endpointId}/secret`, {
      token,
      headers: from(ADMIN_IP),
    });
    expect(revealed.status).toBe(200);

    const events = await log(s, token, '?limit=100');
    // Newest first.
    const times = events.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const register = events.find(
      (e) => e.action === 'sign_in.succeeded' && e.details?.method === 'register',
    );
    expect(register).toMatchObject({
      actor: { id: admin.user.id, name: 'Ada Admin' },
      ip: ADMIN_IP,
      token: null,
      target: { id: admin.user.id, name: 'Ada Admin' },
    });
    const failures = events.filter((e) => e.action === 'sign_in.failed');
    expect(failures.map((e) => [e.actor, e.ip, e.details?.reason]).reverse()).toEqual([
      [{ id: null, name: admin.email }, STRANGER_IP, 'wrong_password'],
      [{ id: null, name: 'nobody@example.com' }, STRANGER_IP, 'unknown_email'],
      [{ id: null, name: agent.user.email }, STRANGER_IP, 'deactivated'],
    ]);
    expect(failures.at(-1)!.target).toEqual({ id: admin.user.id, name: 'Ada Admin' });

    const changed = one(events, 'user.changed', agent.user.id);
    expect(changed).toMatchObject({
      actor: { id: admin.user.id, name: 'Ada Admin' },
      ip: ADMIN_IP,
      target: { id: agent.user.id, name: 'Bob Agent' },
      details: { before: { role: 'agent', capacity: 5 }, after: { role: 'admin', capacity: 3 } },
    });
    expect(one(events, 'user.deactivated', agent.user.id).ip).toBe(ADMIN_IP);
    expect(one(events, 'user.reactivated', agent.user.id).ip).toBe(ADMIN_IP);

    const created = one(events, 'api_token.created', tokenId);
    expect(created.target).toEqual({ id: tokenId, name: 'Zapier' });
    expect(JSON.stringify(created.details)).not.toContain(secret);
    expect(one(events, 'api_token.revoked', tokenId).actor.id).toBe(admin.user.id);

    const widgetChange = one(events, 'widget_settings.changed');
    expect(widgetChange).toMatchObject({
      actor: { id: admin.user.id },
      token: { id: tokenId, name: 'Zapier' },
      ip: '192.0.2.10',
      details: { before: { title: expect.any(String) }, after: { title: 'Talk to us' } },
    });
    expect(widgetChange.details!.after).toHaveProperty('color', '#aa3300');

    expect(one(events, 'webhook.created', endpointId).target).toEqual({
      id: endpointId,
      name: 'http://127.0.0.1:9/parley',
    });
    const reveal = one(events, 'webhook_secret.revealed', endpointId);
    expect(reveal).toMatchObject({ ip: ADMIN_IP, token: null, details: null });
    // No secret anywhere in the log.
    const everything = JSON.stringify(events);
    expect(everything).not.toContain(revealed.body.secret as string);
    expect(everything).not.toContain(endpoint.body.secret as string);
    expect(everything).not.toContain('correct horse battery');
    expect(everything).not.toContain('not the password');
  });

  it('is filtered by kind of action, by person and by time, and paged by cursor', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    for (const capacity of [2, 3, 4]) {
      await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
        token: admin.token,
        body: { capacity },
      });
    }
    await api(s, 'POST', '/api/teams', { token: admin.token, body: { name: 'Billing' } });

    const users = await log(s, admin.token, '?action=user');
    // Newest first: the three changes, after the agent joined (by invitation).
    expect(users.map((e) => e.action)).toEqual([
      'user.changed',
      'user.changed',
      'user.changed',
      'user.added',
    ]);
    expect(users.slice(0, 3).map((e) => e.details?.after)).toEqual([
      { capacity: 4 },
      { capacity: 3 },
      { capacity: 2 },
    ]);
    expect((await log(s, admin.token, '?action=team.created')).map((e) => e.action)).toEqual([
      'team.created',
    ]);
    // `sign_in` is matched as itself (`_` is not a wildcard).
    const signIns = await log(s, admin.token, '?action=sign_in');
    expect(signIns.length).toBeGreaterThanOrEqual(2);
    expect(signIns.every((e) => e.action.startsWith('sign_in.'))).toBe(true);

    // The agent changes their password: recorded, and the new sign-in it makes says why.
    const changed = await api(s, 'POST', '/api/auth/password', {
      token: agent.token,
      body: { currentPassword: 'agent password 123', newPassword: 'a much newer passphrase 42' },
    });
    expect(changed.status).toBe(200);
    const byAgent = await log(s, admin.token, `?actorId=${agent.user.id}`);
    expect(byAgent.every((e) => e.actor.id === agent.user.id)).toBe(true);
    expect(byAgent.slice(0, 2).map((e) => [e.action, e.details])).toEqual([
      ['sign_in.succeeded', { method: 'password_change' }],
      ['password.changed', null],
    ]);
    expect(JSON.stringify(byAgent)).not.toContain('newer passphrase');

    const all = await log(s, admin.token, '?limit=100');
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await log(s, admin.token, `?from=${encodeURIComponent(future)}`)).toEqual([]);
    expect(await log(s, admin.token, `?to=${encodeURIComponent(future)}&limit=100`)).toEqual(all);
    const middle = all[Math.floor(all.length / 2)]!;
    const since = await log(s, admin.token, `?from=${encodeURIComponent(middle.at)}&limit=100`);
    expect(since.every((e) => e.at >= middle.at)).toBe(true);
    expect(since.length).toBeLessThan(all.length);

    // Two at a time, to the end: the same records, none twice.
    const paged: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api<AuditEventListReply>(s, 'GET', `/api/audit-events${query}`, {
        token: admin.token,
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    for (const bad of [
      '?cursor=nonsense',
      '?action=DROP%20TABLE',
      '?actorId=42',
      '?from=yesterday',
      '?limit=0',
      '?limit=101',
    ]) {
      const res = await api(s, 'GET', `/api/audit-events${bad}`, { token: admin.token });
      expect(res.status, bad).toBe(400);
    }
  });

  it('downloads the filtered records as CSV, cells that would run as formulas made text', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await api(s, 'POST', '/api/auth/login', {
      body: { email: '-2+3@example.com', password: 'whatever it is' },
    });
    const team = await api(s, 'POST', '/api/teams', {
      token: admin.token,
      body: { name: '=HYPERLINK("http://evil.example","Billing, \\"EU\\"")' },
    });
    expect(team.status).toBe(201);

    const res = await csv(s, admin.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="parley-audit-log-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([
      'at',
      'action',
      'actor_id',
      'actor_name',
      'token_id',
      'token_name',
      'ip',
      'target_id',
      'target_name',
      'details',
    ]);
    const body = rows.slice(1);
    expect(body.map((r) => r[1])).toEqual((await log(s, admin.token)).map((e) => e.action));
    const failed = body.find((r) => r[1] === 'sign_in.failed')!;
    expect(failed[2]).toBe('');
    expect(failed[3]).toBe("'-2+3@example.com");
    const created = body.find((r) => r[1] === 'team.created')!;
    expect(created[8]).toBe(`'=HYPERLINK("http://evil.example","Billing, \\"EU\\"")`);
    expect(JSON.parse(created[9]!)).toMatchObject({ after: { name: expect.any(String) } });
    // No cell starts with a formula character.
    expect(body.flat().filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);

    // The same filters as the page.
    const teams = parseCsv((await csv(s, admin.token, '?action=team')).text);
    expect(teams.slice(1).map((r) => r[1])).toEqual(['team.created']);
    expect((await csv(s, admin.token, '?from=never')).status).toBe(400);
  });

  it('refuses non-admins, read-only tokens and no one at all; an admin token may read it', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const read = await createToken(s, admin.token, { name: 'Reports', scope: 'read' });
    const full = await createToken(s, admin.token, { name: 'SIEM', scope: 'full' });
    for (const token of [agent.token, read.secret]) {
      expect((await api(s, 'GET', '/api/audit-events', { token })).status).toBe(403);
      expect((await csv(s, token)).status).toBe(403);
    }
    expect((await api(s, 'GET', '/api/audit-events')).status).toBe(401);
    expect((await fetch(`${s.url}/api/audit-events.csv`)).status).toBe(401);
    expect((await log(s, full.secret)).length).toBeGreaterThan(0);
    expect((await csv(s, full.secret)).status).toBe(200);
    // A token made to read the log names it in its scopes; one scoped elsewhere is refused.
    const scoped = async (scopes: string[]) =>
      (await api(s, 'POST', '/api/tokens', { token: admin.token, body: { name: 'S', scopes } }))
        .body.secret as string;
    const siem = await scoped(['audit-log:read']);
    expect((await log(s, siem)).length).toBeGreaterThan(0);
    expect((await csv(s, siem)).status).toBe(200);
    const elsewhere = await scoped(['conversations:read']);
    expect((await api(s, 'GET', '/api/audit-events', { token: elsewhere })).status).toBe(403);
  });

  it('is append-only through the product: no route changes or deletes a record', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const [first] = await log(s, admin.token);
    const count = async () =>
      (await rowsOf<{ n: number }>(s.ctx.db, sql`select count(*)::int as n from audit_events`))[0]!
        .n;
    const before = await count();
    for (const method of ['DELETE', 'PATCH', 'PUT', 'POST']) {
      for (const path of ['/api/audit-events', `/api/audit-events/${first!.id}`]) {
        const res = await api(s, method, path, { token: admin.token, body: {} });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    expect(await count()).toBe(before);
    const routes = apiRoutes.filter((r) => r.path.startsWith('/api/audit-events'));
    expect(routes.map((r) => r.method)).toEqual(['get', 'get']);
  });

  it('keeps records for its own period, at least 30 days, and deletes only older ones', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const settings = await api(s, 'GET', '/api/settings/retention', { token: admin.token });
    expect(settings.body.settings.auditLogDays).toBe(365);
    for (const auditLogDays of [29, 0, null, 36501]) {
      const res = await api(s, 'PATCH', '/api/settings/retention', {
        token: admin.token,
        body: { auditLogDays },
      });
      expect(res.status, String(auditLogDays)).toBe(400);
    }
    await api(s, 'PATCH', `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { capacity: 7 },
    });
    // Two records aged past a month, one just inside it.
    await s.ctx.db.execute(sql`update audit_events set at = now() - interval '40 days'
      where action = 'user.changed'`);
    await s.ctx.db.execute(sql`update audit_events set at = now() - interval '400 days'
      where action = 'sign_in.succeeded' and details->>'method' = 'register'`);
    await s.ctx.db.execute(sql`update audit_events set at = now() - interval '29 days'
      where action = 'sign_in.succeeded' and actor_id = ${agent.user.id}`);
    const actions = async () =>
      (
        await rowsOf<{ action: string; old: boolean }>(
          s.ctx.db,
          sql`select action, at < now() - interval '30 days' as old from audit_events`,
        )
      ).filter((r) => r.old).length;
    expect(await actions()).toBe(2);

    // The default year: only the 400-day-old record goes.
    await retentionTurn(s.ctx, { pauseMs: 0 });
    expect(await actions()).toBe(1);
    const changed = await api(s, 'PATCH', '/api/settings/retention', {
      token: admin.token,
      body: { auditLogDays: 30 },
    });
    expect(changed.status).toBe(200);
    const change = one(await log(s, admin.token), 'retention.changed');
    expect(change.details).toEqual({ before: { auditLogDays: 365 }, after: { auditLogDays: 30 } });
    // The server's own retention job may hold the turn (a run at a time); then the next goes.
    let deleted = 0;
    await expect
      .poll(async () => {
        const { run } = await retentionTurn(s.ctx, { pauseMs: 0 });
        deleted += run?.auditEvents ?? 0;
        return actions();
      })
      .toBe(0);
    expect(deleted).toBeGreaterThanOrEqual(1);
    // What is newer than 30 days is all there: the 29-day-old sign-in and today's records.
    const left = await log(s, admin.token, '?limit=100');
    expect(left.some((e) => e.action === 'sign_in.succeeded' && e.actor.id === agent.user.id)).toBe(
      true,
    );
    expect(left.some((e) => e.action === 'retention.changed')).toBe(true);
  });
});
