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
