import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';

const migrations = fileURLToPath(new URL('./migrations', import.meta.url));

/** The migrations folder as it stood after its first `count` migrations. */
function migrationsUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-migrations-'));
  cpSync(migrations, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe('migration 0002: sender identity and session families', () => {
  it('moves existing messages and sessions to the new keys', { timeout: 60_000 }, async () => {
    const client = await PGlite.create('memory://');
    const db = drizzle({ client });
    const before = migrationsUpTo(2);
    const after = migrationsUpTo(3);
    try {
      await migrate(db, { migrationsFolder: before });
      const visitor = '11111111-1111-4111-8111-111111111111';
      const conversation = '22222222-2222-4222-8222-222222222222';
      const user = '33333333-3333-4333-8333-333333333333';
      const clientId = '44444444-4444-4444-8444-444444444444';
      await client.exec(`
        insert into visitors (id) values ('${visitor}');
        insert into conversations (id, visitor_id, last_seq) values ('${conversation}', '${visitor}', 1);
        -- A visitor message stored without its sender's id.
        insert into messages (conversation_id, seq, client_id, sender, sender_id, content)
          values ('${conversation}', 1, '${clientId}', 'visitor', null, 'hello');
        insert into users (id, name, email, password_hash) values ('${user}', 'A', 'a@example.com', 'x');
        insert into sessions (id, user_id, token_hash, expires_at)
          values ('55555555-5555-4555-8555-555555555555', '${user}', 'h', now() + interval '1 day');
      `);
      await migrate(db, { migrationsFolder: after });
      const message = await client.query<{ sender_id: string }>('select sender_id from messages');
      expect(message.rows).toEqual([{ sender_id: visitor }]);
      const session = await client.query<{ id: string; family_id: string; ended_at: null }>(
        'select id, family_id, ended_at from sessions',
      );
      expect(session.rows).toEqual([
        {
          id: '55555555-5555-4555-8555-555555555555',
          family_id: '55555555-5555-4555-8555-555555555555',
          ended_at: null,
        },
      ]);
      // The resend key is now the sender's identity: another sender may use the same clientId.
      await client.exec(`
        insert into messages (conversation_id, seq, client_id, sender, sender_id, content)
          values ('${conversation}', 2, '${clientId}', 'agent', '${user}', 'hi');
      `);
      await expect(
        client.exec(`insert into messages (conversation_id, seq, client_id, sender, sender_id, content)
          values ('${conversation}', 3, '${clientId}', 'agent', '${user}', 'again')`),
      ).rejects.toThrow(/messages_conversation_sender_id_client_key/);
    } finally {
      await client.close();
      for (const dir of [before, after]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0006: first responses and ratings', () => {
  it('finds each first response again, and who wrote it', { timeout: 60_000 }, async () => {
    const client = await PGlite.create('memory://', { extensions: { unaccent } });
    const db = drizzle({ client });
    const before = migrationsUpTo(6);
    const after = migrationsUpTo(7);
    try {
      await migrate(db, { migrationsFolder: before });
      const [bea, cy] = [
        '33333333-3333-4333-8333-333333333331',
        '33333333-3333-4333-8333-333333333332',
      ];
      const [started, opened, rated] = [1, 2, 3].map(
        (n) => `22222222-2222-4222-8222-00000000000${n}`,
      );
      await client.exec(`
        insert into users (id, name, email, password_hash) values
          ('${bea}', 'Bea', 'bea@example.com', 'x'), ('${cy}', 'Cy', 'cy@example.com', 'x');
        insert into visitors (id) values
          ('11111111-1111-4111-8111-111111111111'), ('11111111-1111-4111-8111-111111111112'),
          ('11111111-1111-4111-8111-111111111113');
        -- Kept until now: first_response_at at Bea's note's time would have been wrong anyway.
        insert into conversations (id, visitor_id, assignee_id, status, last_seq, first_response_at,
            rating, closed_at, created_at) values
          ('${started}', '11111111-1111-4111-8111-111111111111', '${bea}', 'open', 4, null, null,
            null, '2024-05-01T10:00:00Z'),
          ('${opened}', '11111111-1111-4111-8111-111111111112', '${bea}', 'open', 3,
            '2024-05-01T11:00:00Z', null, null, '2024-05-01T11:00:00Z'),
          ('${rated}', '11111111-1111-4111-8111-111111111113', null, 'closed', 1, null, 'up',
            '2024-05-02T09:00:00Z', '2024-05-02T08:00:00Z');
        insert into messages (conversation_id, seq, sender, sender_id, type, content, created_at) values
          ('${started}', 1, 'visitor', '11111111-1111-4111-8111-111111111111', 'text', 'hi', '2024-05-01T10:00:00Z'),
          ('${started}', 2, 'system', null, 'system', 'Bea joined the chat', '2024-05-01T10:01:00Z'),
          ('${started}', 3, 'agent', '${bea}', 'note', 'VIP', '2024-05-01T10:02:00Z'),
          ('${started}', 4, 'agent', '${cy}', 'text', 'hello', '2024-05-01T10:03:00Z'),
          -- Bea opened it; the visitor answered; Bea answered back.
          ('${opened}', 1, 'agent', '${bea}', 'text', 'need help?', '2024-05-01T11:00:00Z'),
          ('${opened}', 2, 'visitor', '11111111-1111-4111-8111-111111111112', 'text', 'yes', '2024-05-01T11:05:00Z'),
          ('${opened}', 3, 'agent', '${bea}', 'text', 'sure', '2024-05-01T11:06:00Z'),
          ('${rated}', 1, 'visitor', '11111111-1111-4111-8111-111111111113', 'text', 'bye', '2024-05-02T08:00:00Z');
      `);
      await migrate(db, { migrationsFolder: after });
      const rows = await client.query(
        `select id, first_visitor_message_at, first_response_at, first_responder_id, rated_at
         from conversations order by id`,
      );
      expect(rows.rows).toEqual([
        {
          id: started,
          first_visitor_message_at: new Date('2024-05-01T10:00:00Z'),
          first_response_at: new Date('2024-05-01T10:03:00Z'),
          first_responder_id: cy,
          rated_at: null,
        },
        {
          id: opened,
          first_visitor_message_at: new Date('2024-05-01T11:05:00Z'),
          first_response_at: new Date('2024-05-01T11:06:00Z'),
          first_responder_id: bea,
          rated_at: null,
        },
        {
          id: rated,
          first_visitor_message_at: new Date('2024-05-02T08:00:00Z'),
          first_response_at: null,
          first_responder_id: null,
          rated_at: new Date('2024-05-02T09:00:00Z'),
        },
      ]);
    } finally {
      await client.close();
      for (const dir of [before, after]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** How many migrations stand before the one tagged `tag` (its index in the journal). */
function migrationsBefore(tag: string): number {
  const journal = JSON.parse(readFileSync(join(migrations, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const index = journal.entries.findIndex((e) => e.tag === tag);
  if (index < 0) throw new Error(`no migration ${tag}`);
  return index;
}

describe('migration of the webhook attempts (issue 32)', () => {
  it('keeps each delivery, its last attempt as an attempt row', { timeout: 60_000 }, async () => {
    const client = await PGlite.create('memory://', { extensions: { unaccent } });
    const db = drizzle({ client });
    const count = migrationsBefore('0016_webhook_attempts');
    const before = migrationsUpTo(count);
    const after = migrationsUpTo(count + 1);
    const id = (n: number) => `66666666-6666-4666-8666-00000000000${n}`;
    try {
      await migrate(db, { migrationsFolder: before });
      await client.exec(`
        insert into webhook_endpoints (id, url, events, secret)
          values ('${id(0)}', 'https://hooks.example.com/', '{conversation.created}', 'whsec_x');
        insert into webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status,
            attempts, response_status, latency_ms, error, delivered_at, created_at) values
          -- delivered at its third attempt
          ('${id(1)}', '${id(0)}', '${id(1)}', 'ping', '{}', 'delivered', 3, 204, 40, null,
            '2026-01-01T10:00:01.000Z', '2026-01-01T09:00:00.000Z'),
          -- failed for good, the answer in its error
          ('${id(2)}', '${id(0)}', '${id(2)}', 'ping', '{}', 'failed', 16, 500, 12,
            'HTTP 500: receiver is down', null, '2026-01-01T09:00:00.000Z'),
          -- a redirect: its error is the reason, whole
          ('${id(3)}', '${id(0)}', '${id(3)}', 'ping', '{}', 'failed', 1, 302, 7,
            'HTTP 302: redirects are not followed (to http://a.example/)', null, '2026-01-01T09:00:00.000Z'),
          -- failed when its endpoint was turned off: its attempt's error is gone
          ('${id(4)}', '${id(0)}', '${id(4)}', 'ping', '{}', 'failed', 2, null, 5,
            'Not sent: the endpoint is turned off', null, '2026-01-01T09:00:00.000Z'),
          -- never tried
          ('${id(5)}', '${id(0)}', '${id(5)}', 'ping', '{}', 'pending', 0, null, null, null, null,
            '2026-01-01T09:00:00.000Z');
      `);
      await migrate(db, { migrationsFolder: after });
      const deliveries = await client.query<{ same: boolean; resend_of: null }>(
        `select event_created_at = created_at as same, resend_of, attempts_before_retry
         from webhook_deliveries`,
      );
      // Each delivery's attempts so far are the round its retry policy counts.
      expect(deliveries.rows).toEqual(
        Array(5).fill({ same: true, resend_of: null, attempts_before_retry: 0 }),
      );
      const attempts = await client.query(
        `select delivery_id, n, sent_at, response_status, latency_ms, error, answer
         from webhook_delivery_attempts order by delivery_id`,
      );
      expect(attempts.rows).toEqual([
        {
          delivery_id: id(1),
          n: 3,
          sent_at: new Date('2026-01-01T10:00:00.960Z'),
          response_status: 204,
          latency_ms: 40,
          error: null,
          answer: null,
        },
        {
          delivery_id: id(2),
          n: 16,
          sent_at: null,
          response_status: 500,
          latency_ms: 12,
          error: 'HTTP 500',
          answer: 'receiver is down',
        },
        {
          delivery_id: id(3),
          n: 1,
          sent_at: null,
          response_status: 302,
          latency_ms: 7,
          error: 'HTTP 302: redirects are not followed (to http://a.example/)',
          answer: null,
        },
      ]);
    } finally {
      await client.close();
      for (const dir of [before, after]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migrations 0018 and 0019: sites, and reports by place', () => {
  it(
    'makes today’s settings the default site, and puts every visitor and chat on it',
    { timeout: 60_000 },
    async () => {
      const client = await PGlite.create('memory://', { extensions: { unaccent } });
      const db = drizzle({ client });
      const before = migrationsUpTo(18);
      const after = migrationsUpTo(20);
      try {
        await migrate(db, { migrationsFolder: before });
        const visitor = '11111111-1111-4111-8111-111111111111';
        const conversation = '22222222-2222-4222-8222-222222222222';
        const look = {
          color: '#16a34a',
          title: 'Talk to Acme',
          allowedOrigins: ['https://acme.example'],
        };
        await client.exec(`
        insert into settings (key, value) values ('widget', '${JSON.stringify(look)}');
        insert into visitors (id, external_id) values ('${visitor}', 'user-1');
        insert into conversations (id, visitor_id, last_seq, first_visitor_message_at, first_response_at)
          values ('${conversation}', '${visitor}', 2, '2026-12-01T10:00:00Z', '2026-12-01T10:01:30Z');
        insert into message_days (day, messages) values ('2026-12-01', 2);
      `);
        await migrate(db, { migrationsFolder: after });

        const sites = await client.query<{
          id: string;
          key: string;
          is_default: boolean;
          widget: unknown;
        }>('select id, key, is_default, widget from sites');
        expect(sites.rows).toEqual([
          { id: expect.any(String), key: 'default', is_default: true, widget: look },
        ]);
        const site = sites.rows[0]!.id;
        // The old row stays, for instances of the older version during a rolling upgrade.
        expect(
          (await client.query("select 1 from settings where key = 'widget'")).rows,
        ).toHaveLength(1);
        expect((await client.query('select site_id from visitors')).rows).toEqual([
          { site_id: site },
        ]);
        expect(
          (
            await client.query(
              'select site_id, team_id, first_response_business_seconds from conversations',
            )
          ).rows,
        ).toEqual([{ site_id: site, team_id: null, first_response_business_seconds: 90 }]);
        // Rows written as before, without a site, are the default site's.
        await client.exec(
          `insert into visitors (id) values ('33333333-3333-4333-8333-333333333333')`,
        );
        expect(
          (
            await client.query(
              `select site_id from visitors where id = '33333333-3333-4333-8333-333333333333'`,
            )
          ).rows,
        ).toEqual([{ site_id: site }]);
        // Verified ids are each site's own: the same id on another site is another visitor.
        await client.exec(`
        insert into sites (key, name) values ('shop', 'Shop');
        insert into visitors (site_id, external_id) select id, 'user-1' from sites where key = 'shop';
      `);
        await expect(
          client.exec(`insert into visitors (external_id) values ('user-1')`),
        ).rejects.toThrow(/visitors_site_external_id_key/);
        // The days rolled up before are rolled up again, by place, by the next report.
        expect((await client.query('select by_place from message_days')).rows).toEqual([
          { by_place: false },
        ]);
      } finally {
        await client.close();
        for (const dir of [before, after]) rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
