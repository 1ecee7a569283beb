// The tables of `npm run bench:data`, in markdown, with the targets of issue 15 (item 2: on
// PostgreSQL at 2M messages every call's p95 within 100 ms and reports within 300 ms, twice that
// at 20M; PGlite within 3x PostgreSQL; item 5: chats beside slow queries).
import { quantile } from './lib.mjs';

const NAMES = { postgres: 'PostgreSQL', pglite: 'PGlite' };
/** A column's database, and which build when two are compared (`--compare`). */
const nameOf = (m) => `${NAMES[m.kind]}${m.build ? ` ${m.build}` : ''}`;
/** The results of this build for each database: with `--compare`, the "after" ones. */
const thisBuild = (measured, kind) => measured.filter((m) => m.kind === kind).at(-1);
const mark = (ok) => (ok ? 'pass' : 'MISS');
const ms = (x) => (!Number.isFinite(x) ? '-' : x < 10 ? x.toFixed(1) : Math.round(x).toString());
const millions = (n) =>
  n >= 1_000_000
    ? `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`
    : `${Math.round(n / 1000)}k`;
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

/**
 * PostgreSQL: the bench's VACUUM (ANALYZE) after the fill, standing in for autovacuum. PGlite
 * has no autovacuum: Parley's own at its first start, and the longest it held the database.
 */
function vacuumCell(fill, upkeep) {
  if (fill.vacuumSeconds !== undefined) return `${fill.vacuumSeconds.toFixed(0)} (by the bench)`;
  if (!upkeep) return 'none (a build without upkeep)';
  const longest = upkeep.tables.reduce((a, b) => (b.seconds > (a?.seconds ?? -1) ? b : a), null);
  const held = longest ? `; ${longest.table} ${ms(longest.seconds * 1000)} ms` : '';
  return `${upkeep.seconds.toFixed(1)} (by Parley at start${held})`;
}

export function fillTable(measured) {
  return table(
    [
      'database',
      'messages (target)',
      'conversations',
      'visitors',
      'fill s',
      'messages/s',
      'rows/s (all tables)',
      'VACUUM ANALYZE s (longest table)',
      'size MB',
      'cold start ms, spawn to /healthz (median, max)',
    ],
    measured.map(({ kind, build, target, fill, cold, upkeep }) => [
      nameOf({ kind, build }),
      `${fill.messages.toLocaleString('en')} (${target.toLocaleString('en')}` +
        (fill.stoppedEarly
          ? `; stopped at the time limit after ${fill.chunksDone} of ${fill.chunks} chunks)`
          : ')'),
      fill.conversations.toLocaleString('en'),
      fill.visitors.toLocaleString('en'),
      fill.fillSeconds.toFixed(0),
      Math.round(fill.messagesPerSecond).toLocaleString('en'),
      Math.round(fill.rowsPerSecond).toLocaleString('en'),
      vacuumCell(fill, upkeep),
      Math.round(fill.bytes / 2 ** 20).toLocaleString('en'),
      `${ms(cold.p50)}, ${ms(cold.max)}`,
    ]),
  );
}

const isReport = (key) => /^(overview|timeseries|agents)-/.test(key);

export function callTable(measured) {
  const keys = measured[0]?.calls.map((c) => c.key) ?? [];
  const pg = thisBuild(measured, 'postgres');
  const lite = thisBuild(measured, 'pglite');
  const p95 = (m, key) => quantile(m?.calls.find((c) => c.key === key)?.samples ?? [], 0.95);
  const rows = keys.map((key) => {
    const calls = measured.map((m) => m.calls.find((c) => c.key === key));
    const cells = calls.map((c) =>
      c.samples.length ? `${ms(quantile(c.samples, 0.5))} / ${ms(quantile(c.samples, 0.95))}` : '-',
    );
    const targets = [];
    if (pg && Number.isFinite(p95(pg, key))) {
      const limit = (isReport(key) ? 300 : 100) * (pg.fill.messages >= 10_000_000 ? 2 : 1);
      targets.push(`${NAMES.postgres} ${mark(p95(pg, key) <= limit)} ≤${limit}`);
    }
    if (pg && lite && Number.isFinite(p95(pg, key)) && Number.isFinite(p95(lite, key)))
      targets.push(`${NAMES.pglite} ${mark(p95(lite, key) <= 3 * p95(pg, key))} ≤3×`);
    const notes = [...new Set(calls.map((c) => c.note).filter(Boolean))];
    const note =
      notes.length <= 1
        ? (notes[0] ?? '')
        : measured.map((m, i) => `${nameOf(m)}: ${calls[i].note}`).join('; ');
    return [calls[0].call, ...cells, targets.join(', '), note];
  });
  rows.push([
    'cold start, spawn to /healthz (median / max of runs)',
    ...measured.map((m) => `${ms(m.cold.p50)} / ${ms(m.cold.max)}`),
    '',
    'with the data above',
  ]);
  return table(
    [
      'call (ms)',
      ...measured.map((m) => `${nameOf(m)}, ${millions(m.fill.messages)} messages: p50 / p95`),
      'target (p95)',
      'notes',
    ],
    rows,
  );
}

/**
 * Issue 33, item 7: every search shape within 100 ms at p95, through `/api/search` and the
 * conversation list's `q` alike, on each database (PostgreSQL at 2M messages, PGlite at
 * 400k). One row per shape; each column a database (and build), each cell search / list.
 */
export function searchTable(measured) {
  const shapes = (measured[0]?.calls ?? [])
    .filter((c) => c.key.startsWith('search-'))
    .map((c) => ({ shape: c.key.slice('search-'.length), call: c.call.slice('search: '.length) }));
  if (shapes.length === 0) return '';
  const p95 = (m, key) => quantile(m.calls.find((c) => c.key === key)?.samples ?? [], 0.95);
  const latest = [...new Set(measured.map((m) => m.kind))].map((kind) => thisBuild(measured, kind));
  const rows = shapes.map(({ shape, call }) => {
    const cells = measured.map(
      (m) => `${ms(p95(m, `search-${shape}`))} / ${ms(p95(m, `list-q-${shape}`))}`,
    );
    const worst = Math.max(
      ...latest.flatMap((m) => [p95(m, `search-${shape}`), p95(m, `list-q-${shape}`)]),
    );
    return [call, ...cells, Number.isFinite(worst) ? `${mark(worst <= 100)} ≤100` : '-'];
  });
  return table(
    [
      'search shape: p95 ms, /api/search / list q',
      ...measured.map((m) => `${nameOf(m)}, ${millions(m.fill.messages)}`),
      'target (both ways, every database)',
    ],
    rows,
  );
}

export function blockingTable(b) {
  const phase = (name, p, extra) => [
    name,
    p.messages,
    ms(p.p50),
    ms(p.p99),
    ms(p.healthP50),
    ms(p.healthP99),
    ms(p.healthMax),
    extra,
  ];
  const ratio = b.busy.p99 / b.alone.p99;
  return [
    table(
      [
        `PGlite${b.build ? ` ${b.build}` : ''}: ${b.pairs} chatting pairs, ${b.agents} agent sockets`,
        'messages timed',
        'send → delivered p50 ms',
        'p99 ms',
        '/healthz p50 ms',
        '/healthz p99 ms',
        '/healthz max ms',
        'background calls (p50 ms)',
      ],
      [
        phase('chats alone', b.alone, ''),
        phase(
          `chats + searches (${b.search}) and 365-day reports in a loop`,
          b.busy,
          `${b.busy.backgroundCalls} (${ms(b.busy.backgroundP50)})`,
        ),
      ],
    ),
    '',
    `Targets (issue 15, item 5): p99 with the loop ≤2× alone: ${mark(ratio <= 2)} (${ratio.toFixed(2)}×); ` +
      `/healthz p99 under 50 ms with the loop: ${mark(b.busy.healthP99 < 50)}.` +
      (b.errors ? ` Errors: ${b.errors} (${b.firstError}).` : ''),
  ].join('\n');
}

/** `--retention`: the chats alone, then while retention's run deletes half a year's content. */
export function retentionTable(b) {
  const r = b.retention ?? {};
  const phase = (name, p) => [name, p.messages, ms(p.p50), ms(p.p99), ms(p.healthP99)];
  const ratio = b.busy.p99 / b.alone.p99;
  return [
    table(
      [
        `PGlite${b.build ? ` ${b.build}` : ''}: ${b.pairs} chatting pairs, retention`,
        'messages timed',
        'send → delivered p50 ms',
        'p99 ms',
        '/healthz p99 ms',
      ],
      [phase('chats alone', b.alone), phase('chats while retention runs', b.busy)],
    ),
    '',
    `Retention's run (conversations closed over 180 days ago): ${r.conversations} conversations, ` +
      `${r.messages} messages, ${r.files} files, ${r.webhookDeliveries} webhook deliveries, ` +
      `${r.jobs} jobs in ${r.seconds?.toFixed(1)} s${r.unfinished ? ' (unfinished after 30 min)' : ''}. ` +
      `p99 while it runs: ${ratio.toFixed(2)}× alone.` +
      (b.errors ? ` Errors: ${b.errors} (${b.firstError}).` : ''),
  ].join('\n');
}
