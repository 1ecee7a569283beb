// The SQL that fills Parley's tables for `npm run bench:data`: INSERT ... SELECT over
// generate_series, so PostgreSQL (or PGlite) makes the rows itself. Every value is a function of
// the row's number through hashint8, so a chunk can be filled by any connection in any order,
// and the JavaScript side (data-fill.mjs) knows which conversation holds what.
//
// Conversation g (1..C) starts at a time proportional to g over the 365 days before the fill,
// has 5 to 35 messages (20 on average; every 5,000th has 300, for `sync`), belongs to visitor
// v(g) = (g - 1) * 7919 mod V + 1 (so the newest, still open conversations have distinct
// visitors, as the one-active-conversation index requires), and is closed unless it is among
// the newest `openTail`.
import {
  BROWSERS,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  NOTES,
  PAGES,
  PLANTED,
  RATING_COMMENTS,
  SYSTEMS,
  TAGS,
} from './data-text.mjs';

export const VISITOR_STEP = 7919;
export const LONG_EVERY = 5_000;
export const LONG_MESSAGES = 300;
export const RARE_EVERY = 25_013;
const YEAR_S = 365 * 86_400;
// The last conversation starts two hours before the fill, so that no message is in the future.
const SPAN_S = YEAR_S - 7_200;

const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const textArray = (list) => `ARRAY[${list.map(lit).join(',')}]::text[]`;
/** A non-negative pseudo-random int of `x` (a bigint expression); `salt` (0..63) picks a stream. */
const hash = (x, salt) => `(hashint8((${x})::bigint * 64 + ${salt}) & 2147483647)`;
/** A version-4-shaped uuid made from md5(prefix || n): the same as data-fill.mjs's uuidOf. */
const uuidOf = (prefix, x) =>
  `overlay(overlay(md5('${prefix}' || (${x})) placing '4' from 13) placing '8' from 17)::uuid`;
const pick = (list, index) => `(${textArray(list)})[(1 + (${index}) % ${list.length})::int]`;
const emailOf = (v) =>
  `lower(${pick(FIRST_NAMES, v)} || '.' || ${pick(LAST_NAMES, `${v} / ${FIRST_NAMES.length}`)}` +
  ` || ${v} || '@' || ${pick(EMAIL_DOMAINS, v)})`;

/** The start time of conversation `g`, before its jitter of up to four minutes. */
const startOf = (plan, g) =>
  `timestamptz ${lit(plan.startIso)} + ((${g} - 1) * ${SPAN_S / plan.conversations})::bigint * interval '1 second'`;

/** Setup of one session: the sentence pools as a temporary table the inserts join. */
export function sentenceStatements(pools) {
  const rows = [
    ...pools.visitor.map((s, i) => `(1,${i},${lit(s)})`),
    ...pools.agent.map((s, i) => `(2,${i},${lit(s)})`),
    ...pools.note.map((s, i) => `(3,${i},${lit(s)})`),
  ];
  return [
    'CREATE TEMP TABLE bench_sentences (pool int NOT NULL, i int NOT NULL, s text NOT NULL, PRIMARY KEY (pool, i))',
    `INSERT INTO bench_sentences VALUES ${rows.join(',')}`,
    'ANALYZE bench_sentences',
  ];
}

export function visitorStatements(plan) {
  const { visitors: V, conversations: C } = plan;
  const named = `${hash('v', 20)} % 10 < 6`;
  const page = (i) => `${hash('v', i)} % ${PAGES.length}`;
  return [
    `INSERT INTO visitors (id, name, email, browser, os, ip, current_url, current_title, online,
       first_seen_at, last_seen_at)
     SELECT ${uuidOf('v', 'v')},
       CASE WHEN ${named} THEN ${pick(FIRST_NAMES, 'v')} || ' ' || ${pick(LAST_NAMES, `v / ${FIRST_NAMES.length}`)} END,
       CASE WHEN ${named} THEN ${emailOf('v')} END,
       ${pick(BROWSERS, hash('v', 21))}, ${pick(SYSTEMS, hash('v', 22))},
       '10.' || (v / 65536) % 256 || '.' || (v / 256) % 256 || '.' || v % 256,
       'https://shop.example.com' || ${pick(
         PAGES.map((p) => p[0]),
         page(23),
       )}, ${pick(
         PAGES.map((p) => p[1]),
         page(23),
       )}, false,
       ${startOf(plan, 'first')} - interval '10 minutes',
       ${startOf(plan, `first + (${C} - first) / ${V} * ${V}`)} + interval '30 minutes'
     FROM (SELECT v, (v - 1) * ${plan.inverse} % ${V} + 1 AS first
           FROM generate_series(1::bigint, ${V}) AS v) AS x`,
    // Two pages each, for the visitor's panel.
    `INSERT INTO page_views (visitor_id, url, title, created_at)
     SELECT ${uuidOf('v', 'v')}, 'https://shop.example.com' || ${pick(
       PAGES.map((p) => p[0]),
       `${hash('v', 24)} + i`,
     )}, ${pick(
       PAGES.map((p) => p[1]),
       `${hash('v', 24)} + i`,
     )}, ${startOf(plan, `(v - 1) * ${plan.inverse} % ${V} + 1`)} - (3 - i) * interval '4 minutes'
     FROM generate_series(1::bigint, ${V}) AS v, generate_series(1, 2) AS i`,
  ];
}

/** Conversations of one chunk: numbers lo..hi, those of `pass` when filling in several passes. */
function conversationCtes(plan, agents, { lo, hi, pass }) {
  const C = plan.conversations;
  const r = (i) => `${hash('g', i)} AS r${i}`;
  return `WITH g AS (
      SELECT g, ${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(r).join(', ')}
      FROM generate_series(${lo}::bigint, ${hi}) AS g
      ${plan.passes > 1 ? `WHERE g % ${plan.passes} = ${pass}` : ''}
    ), c AS (
      SELECT g.*,
        (g % ${LONG_EVERY} = ${LONG_EVERY / 2} OR g = ${plan.longOne}) AS is_long,
        CASE WHEN g <= ${C - plan.openTail} THEN 'closed'
             WHEN r2 % 4 = 0 THEN 'pending' ELSE 'open' END AS status,
        (g - 1) * ${VISITOR_STEP} % ${plan.visitors} + 1 AS v
      FROM g
    ), conv AS MATERIALIZED (
      SELECT c.*,
        CASE WHEN is_long THEN ${LONG_MESSAGES} ELSE 5 + r1 % 31 END AS n,
        CASE WHEN is_long THEN 10 ELSE 15 + r4 % 60 END * interval '1 second' AS gap,
        (status = 'open' OR (status = 'closed' AND r3 % 33 <> 0)) AS assigned,
        (1 + r5 % ${agents.length})::int AS agent,
        ${startOf(plan, 'g')} + (r6 % 240) * interval '1 second' AS t0,
        ${uuidOf('c', 'g')} AS cid,
        ${uuidOf('v', 'v')} AS vid
      FROM c
    )`;
}

/**
 * The conversations of a chunk. `columns`: the conversations table's columns, since an older
 * build (`--server`) has fewer; the first visitor line is at t0, the first response (s = 3) the
 * assignee's, a rating given at the close.
 */
export function conversationInsert(plan, agents, chunk, columns) {
  const agentIds = `ARRAY[${agents.map((a) => lit(a.id)).join(',')}]::uuid[]`;
  const rated = `status = 'closed' AND assigned AND r11 % 3 = 0`;
  const last = `t0 + (n - 1) * gap`;
  const later = [
    ['first_visitor_message_at', 't0'],
    ['first_responder_id', `CASE WHEN assigned THEN (${agentIds})[agent] END`],
    ['rated_at', `CASE WHEN ${rated} THEN ${last} END`],
  ].filter(([column]) => columns.has(column));
  return `${conversationCtes(plan, agents, chunk)}
    INSERT INTO conversations (id, visitor_id, assignee_id, status, tags, notes, rating,
      rating_comment, last_seq, first_response_at, closed_at, last_message_at,
      last_message_minute, created_at${later.map(([column]) => `, ${column}`).join('')})
    SELECT cid, vid, CASE WHEN assigned THEN (${agentIds})[agent] END, status,
      CASE r7 % 5
        WHEN 0 THEN ARRAY[${pick(TAGS, 'r8')}]
        WHEN 1 THEN ARRAY[${pick(TAGS, 'r8')}, ${pick(TAGS, `r8 % ${TAGS.length} + 1 + r9 % ${TAGS.length - 1}`)}]
        ELSE '{}'::text[] END,
      CASE WHEN r10 % 10 = 0 THEN ${pick(NOTES, 'r12')} ELSE '' END,
      CASE WHEN ${rated} THEN CASE WHEN r11 / 3 % 5 = 0 THEN 'down' ELSE 'up' END END,
      CASE WHEN ${rated} AND r12 % 4 = 0 THEN ${pick(RATING_COMMENTS, 'r12 / 4')} END,
      n, CASE WHEN assigned THEN t0 + 2 * gap END,
      CASE WHEN status = 'closed' THEN ${last} END,
      ${last}, date_trunc('minute', ${last}), t0${later.map(([, value]) => `, ${value}`).join('')}
    FROM conv`;
}

export function messageInsert(plan, agents, chunk, pools) {
  const agentIds = `ARRAY[${agents.map((a) => lit(a.id)).join(',')}]::uuid[]`;
  const agentNames = `ARRAY[${agents.map((a) => lit(a.name)).join(',')}]::text[]`;
  const key = 'conv.g * 1000 + s';
  const plantOne = plan.plantOne;
  // Planted in visitors' messages only: searches then have known answers (data-fill.mjs).
  const plants = `
    || CASE WHEN m.s = 1 AND (m.g % ${RARE_EVERY} = 777 OR m.g = ${plantOne})
         THEN ' Is the ${PLANTED.rareWord} plush back in stock?' ELSE '' END
    || CASE WHEN m.s = 1 AND (m.g % 10 = 3 OR m.g = ${plantOne})
         THEN ' It is about invoice INV-' || lpad((m.g * 37 % 100000)::text, 5, '0') || '.' ELSE '' END
    || CASE WHEN m.s = CASE WHEN m.assigned THEN 4 ELSE 2 END AND (m.g % 30 = 7 OR m.g = ${plantOne})
         THEN ' You can reach me at ' || ${emailOf('m.v')} || '.' ELSE '' END`;
  return `${conversationCtes(plan, agents, chunk)}, m AS MATERIALIZED (
      SELECT conv.g, conv.v, cid, vid, agent, assigned, status, n, s,
        t0 + (s - 1) * gap AS at, md5((${key})::text) AS h,
        ${hash(key, 40)} AS q1, ${hash(key, 41)} AS q2,
        CASE WHEN s = 1 THEN 'visitor'
             WHEN status = 'closed' AND s = n THEN 'close'
             WHEN NOT assigned THEN 'visitor'
             WHEN s = 2 THEN 'join'
             WHEN s % 2 = 0 THEN 'visitor'
             WHEN s >= 5 AND ${hash(key, 42)} % 20 = 0 THEN 'note'
             ELSE 'agent' END AS kind
      FROM conv CROSS JOIN LATERAL generate_series(1, conv.n) AS s
    ), m2 AS (
      SELECT m.*,
        CASE kind WHEN 'visitor' THEN 1 WHEN 'agent' THEN 2 WHEN 'note' THEN 3 END AS pool,
        CASE kind WHEN 'visitor' THEN q1 % ${pools.visitor.length}
                  WHEN 'agent' THEN q1 % ${pools.agent.length}
                  WHEN 'note' THEN q1 % ${pools.note.length} END AS i1,
        CASE WHEN q2 % 2 = 0 THEN CASE kind WHEN 'visitor' THEN q2 % ${pools.visitor.length}
                                            WHEN 'agent' THEN q2 % ${pools.agent.length} END END AS i2
      FROM m
    )
    INSERT INTO messages (id, conversation_id, seq, client_id, sender, sender_id, content, type,
      read_at, created_at)
    SELECT
      (lpad(to_hex((extract(epoch FROM m.at) * 1000)::bigint), 12, '0') || '7'
        || substr(m.h, 1, 3) || '8' || substr(m.h, 4, 15))::uuid,
      m.cid, m.s,
      CASE WHEN m.kind IN ('join', 'close') THEN NULL ELSE gen_random_uuid() END,
      CASE m.kind WHEN 'visitor' THEN 'visitor' WHEN 'join' THEN 'system'
                  WHEN 'close' THEN 'system' ELSE 'agent' END,
      CASE m.kind WHEN 'visitor' THEN m.vid WHEN 'join' THEN NULL WHEN 'close' THEN NULL
                  ELSE (${agentIds})[m.agent] END,
      CASE m.kind
        WHEN 'join' THEN (${agentNames})[m.agent] || ' joined the chat'
        WHEN 'close' THEN 'Chat closed by ' || (${agentNames})[m.agent]
        WHEN 'visitor' THEN a.s || coalesce(' ' || b.s, '') ${plants}
        ELSE a.s || coalesce(' ' || b.s, '') END,
      CASE m.kind WHEN 'note' THEN 'note' WHEN 'join' THEN 'system'
                  WHEN 'close' THEN 'system' ELSE 'text' END,
      -- The newest two messages of a chat still open are unread, as is the unanswered queue.
      CASE WHEN m.kind IN ('join', 'close', 'note') THEN NULL
           WHEN m.status <> 'closed' AND m.s >= m.n - 1 THEN NULL
           WHEN NOT m.assigned THEN NULL
           ELSE m.at + interval '5 seconds' END,
      m.at
    FROM m2 AS m
    LEFT JOIN bench_sentences AS a ON a.pool = m.pool AND a.i = m.i1
    LEFT JOIN bench_sentences AS b ON b.pool = m.pool AND b.i = m.i2`;
}

/** A few canned responses, as any team has. */
export function cannedResponseInsert(adminId) {
  const rows = [
    ['Greeting', 'hi', 'Hi, thanks for reaching out! How can I help?'],
    ['Refund timing', 'refund', 'Refunds take 3 to 5 business days to appear on your statement.'],
    ['Order number', 'order', 'Could you send me your order number, please?'],
    ['Shipping times', 'shipping', 'We ship within 2 days; delivery takes 2 to 7 days.'],
    ['Password reset', 'password', 'You can reset your password from the login page.'],
    ['Goodbye', 'bye', 'Is there anything else I can help you with?'],
  ];
  return `INSERT INTO canned_responses (title, shortcut, content, created_by) VALUES ${rows
    .map(
      ([title, shortcut, content]) =>
        `(${lit(title)}, ${lit(shortcut)}, ${lit(content)}, ${lit(adminId)})`,
    )
    .join(', ')}`;
}
