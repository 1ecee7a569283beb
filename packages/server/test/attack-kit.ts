import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../src/db/client.js';

/**
 * What the attack suite (`attacks*.test.ts`) compares before and after each attack: everything
 * an attack could alter. Visitors' presence columns move with connections, so only what a
 * visitor owns is compared for them.
 */
export async function fingerprint(database: Database): Promise<unknown> {
  const result = await database.db.execute(sql`select
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from users t) as users,
    (select md5(coalesce(string_agg((t.id, t.revoked_at)::text, '|' order by t.id), '')) from sessions t) as sessions,
    (select md5(coalesce(string_agg((t.id, t.name, t.email)::text, '|' order by t.id), '')) from visitors t) as visitors,
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from conversations t) as conversations,
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from messages t) as messages,
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from canned_responses t) as canned,
    (select md5(coalesce(string_agg(t::text, '|' order by t.key), '')) from settings t) as settings,
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from teams t) as teams,
    (select md5(coalesce(string_agg(t::text, '|' order by t.team_id, t.user_id), '')) from team_members t) as team_members,
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from sites t) as sites,
    (select md5(coalesce(string_agg(t::text, '|' order by t.site_id, t.team_id), '')) from site_teams t) as site_teams,
    (select count(*)::int from page_views) as page_views,
    (select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from visitor_bans t) as visitor_bans`);
  return (result as unknown as { rows: unknown[] }).rows[0];
}

/**
 * Runs the attack, then checks the database is exactly as before. "Before" is taken once the
 * database has stopped changing: work an earlier test set going in the background (routing a
 * queued chat when an agent's socket comes or goes, a delayed email's mark) is not the attack's,
 * and on a loaded machine it can land during one (CI saw the boundary walk's do so).
 */
export async function attack(database: Database, run: () => Promise<void>): Promise<void> {
  const before = await settled(database);
  await run();
  expect(await fingerprint(database)).toEqual(before);
}

/** The fingerprint once two reads 50 ms apart agree (5 s at most). */
async function settled(database: Database): Promise<unknown> {
  let last = await fingerprint(database);
  for (const deadline = Date.now() + 5_000; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await fingerprint(database);
    if (isDeepStrictEqual(now, last)) return now;
    last = now;
  }
  return last;
}

/** The error body of a refusal. */
export const refusal = (code: string, message: string) => ({ error: { code, message } });
