// Fills a migrated, empty Parley database for `npm run bench:data`, in chunks of conversations
// (each chunk one transaction: its conversations, then their messages), so that the indexes
// and the search index are maintained row by row as on a live system, and so that the fill
// can stop at a time limit with every stored conversation complete.
import { createHash } from 'node:crypto';
import {
  cannedResponseInsert,
  conversationInsert,
  LONG_EVERY,
  messageInsert,
  RARE_EVERY,
  sentenceStatements,
  VISITOR_STEP,
  visitorStatements,
} from './data-sql.mjs';
import { PLANTED, sentencePools, visitorEmail } from './data-text.mjs';

/** Conversations per chunk: about 100,000 messages, a few seconds of PostgreSQL. */
const CHUNK = 5_000;
const DAY_MS = 86_400_000;

const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
function inverseMod(a, m) {
  let [r0, r1, s0, s1] = [a, m, 1, 0];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

/**
 * What to fill for about `messages` messages: 20 per conversation on average, 3 visitors for
 * every 4 conversations, the newest 0.2% of conversations still open or waiting. `passes` > 1
 * fills every n-th conversation of the whole year per pass, so that a fill stopped by its time
 * limit still spans the year (only thinner).
 */
export function fillPlan(messages, { passes = 1, end = new Date() } = {}) {
  const conversations = Math.max(40, Math.round(messages / 20));
  let visitors = Math.round(conversations * 0.75);
  while (gcd(VISITOR_STEP, visitors) !== 1) visitors++;
  return {
    messages,
    conversations,
    visitors,
    openTail: Math.max(3, Math.round(conversations / 500)),
    passes,
    longOne: Math.floor(conversations / 2),
    plantOne: Math.floor(conversations / 3),
    inverse: inverseMod(VISITOR_STEP % visitors, visitors),
    startIso: new Date(end.getTime() - 365 * DAY_MS).toISOString(),
    endIso: end.toISOString(),
  };
}

/** The id the fill gives conversation or visitor `n` (prefix `c` or `v`): see data-sql.mjs. */
export function uuidOf(prefix, n) {
  const h = createHash('md5').update(`${prefix}${n}`).digest('hex');
  const x = `${h.slice(0, 12)}4${h.slice(13, 16)}8${h.slice(17)}`;
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function chunksOf(plan) {
  const chunks = [];
  for (let pass = 0; pass < plan.passes; pass++) {
    const span = CHUNK * plan.passes;
    for (let lo = 1; lo <= plan.conversations; lo += span)
      chunks.push({ pass, lo, hi: Math.min(plan.conversations, lo + span - 1) });
  }
  return chunks;
}

/**
 * Fills through `open()`ed sessions (`{query(text) -> {rows, count}, close()}`), `workers` of
 * them at once, starting no chunk after `deadline` (ms since the epoch); `inspect(session)`
 * runs last. `vacuum`: VACUUM (ANALYZE) at the end, standing in for autovacuum (PostgreSQL);
 * PGlite has none, and Parley does that work itself once it starts (the bench waits for it).
 * Returns what was stored and how fast.
 */
export async function fillDatabase({
  open,
  workers,
  plan,
  agents,
  deadline,
  log,
  inspect,
  vacuum,
}) {
  const pools = sentencePools();
  const sessions = [];
  for (let i = 0; i < workers; i++) {
    const session = await open();
    for (const statement of sentenceStatements(pools)) await session.query(statement);
    sessions.push(session);
  }
  const [first] = sessions;
  const columns = new Set(
    (
      await first.query(`SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'conversations'`)
    ).rows.map((row) => row.column_name),
  );
  const started = performance.now();
  for (const statement of visitorStatements(plan)) await first.query(statement);
  await first.query(cannedResponseInsert(agents[0].id));

  const chunks = chunksOf(plan);
  const done = [];
  let next = 0;
  let messages = 0;
  const fillChunk = async (session) => {
    while (next < chunks.length && Date.now() < deadline) {
      const chunk = chunks[next++];
      await session.query('BEGIN');
      await session.query(conversationInsert(plan, agents, chunk, columns));
      const { count } = await session.query(messageInsert(plan, agents, chunk, pools));
      await session.query('COMMIT');
      messages += count;
      done.push(chunk);
      const seconds = (performance.now() - started) / 1000;
      log(
        `${messages.toLocaleString('en')} messages (${Math.round((100 * messages) / plan.messages)}% of ` +
          `${plan.messages.toLocaleString('en')}) in ${seconds.toFixed(0)} s, ${Math.round(messages / seconds).toLocaleString('en')}/s`,
      );
    }
  };
  await Promise.all(sessions.map(fillChunk));
  const fillSeconds = (performance.now() - started) / 1000;
  for (const session of sessions.slice(1)) await session.close();

  // As autovacuum would have done on a live system: statistics, and the visibility map that
  // index-only scans rely on.
  const vacuumStarted = performance.now();
  if (vacuum) await first.query('VACUUM (ANALYZE) visitors, page_views, conversations, messages');
  const vacuumSeconds = vacuum ? (performance.now() - vacuumStarted) / 1000 : undefined;
  const [counts] = (
    await first.query(`SELECT (SELECT count(*) FROM conversations)::int AS conversations,
      (SELECT count(*) FROM visitors)::int AS visitors,
      (SELECT count(*) FROM page_views)::int AS page_views,
      (SELECT coalesce(sum(last_seq), 0) FROM conversations)::int AS messages,
      pg_database_size(current_database())::float8 AS bytes`)
  ).rows;
  await inspect?.(first);
  await first.close();
  const rows = counts.conversations + counts.visitors + counts.page_views + counts.messages;
  return {
    ...counts,
    stoppedEarly: done.length < chunks.length,
    chunksDone: done.length,
    chunks: chunks.length,
    fillSeconds,
    vacuumSeconds,
    messagesPerSecond: counts.messages / fillSeconds,
    rowsPerSecond: rows / fillSeconds,
    expected: expectations(plan, done),
  };
}

/** Which conversations hold the planted words, among the chunks filled (data-sql.mjs). */
function expectations(plan, done) {
  const filled = [];
  for (const { pass, lo, hi } of done)
    for (let g = lo; g <= hi; g++)
      if (plan.passes === 1 || g % plan.passes === pass) filled.push(g);
  const visitorOf = (g) => (((g - 1) * VISITOR_STEP) % plan.visitors) + 1;
  const one = plan.plantOne;
  const invOf = (g) => String((g * 37) % 100_000).padStart(5, '0');
  const count = (test) => filled.filter(test).length;
  return {
    rareWord: PLANTED.rareWord,
    rareConversations: count((g) => g % RARE_EVERY === 777 || g === one),
    orderNumber: `INV-${invOf(one)}`,
    orderNumberConversations: count((g) => (g % 10 === 3 || g === one) && invOf(g) === invOf(one)),
    email: visitorEmail(visitorOf(one)),
    emailConversations: count(
      (g) => visitorOf(g) === visitorOf(one) && (g % 30 === 7 || g === one),
    ),
    plantedFilled: filled.includes(one),
    longConversation:
      filled.find((g) => g === plan.longOne) ??
      filled.find((g) => g % LONG_EVERY === LONG_EVERY / 2),
  };
}
