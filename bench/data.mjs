// `npm run bench:data` (issue 15): a year of a mid-size team's history, filled by SQL into
// Parley's own schema (made by its own migrations), then measured through the real HTTP API of
// a real server process: the lists, search, a conversation's messages, visitors, `sync` after a
// reconnect, the reports for 30 and 365 days, cold start; and on PGlite, whether slow queries
// stall the chats (bench/blocking.mjs). Prints markdown tables and writes them to
// bench/results/data-<databases>.md (and .json). One run at a time: runs share bench/.data.
// Method and figures: docs/benchmarks.md.
//
//   --db=postgres|pglite|both  (both)          --messages=N   (2,000,000 PostgreSQL; 400,000 PGlite)
//   --large      20,000,000 on PostgreSQL, filled in 4 passes over the year, within --fill-minutes
//   --fill-minutes=N  stop filling after N minutes (30; 90 with --large), reporting what was reached
//   --server=path/to/dist/main.js  measure another build (before/after); default: build this one
//   --compare=path/to/dist/main.js  measure that build too, on a copy of the same fill, its calls
//                taking turns with this build's: before and after side by side in one run
//   --reuse      measure the database the last run filled, if it has the same target size
//   --row-seconds=N  a call slower than that in total stops after 5 timed calls (60)
//   --blocking   the blocking part alone (PGlite);  --no-blocking  skip it
//   --retention  on a copy of the PGlite fill, chats while retention deletes the conversations
//                closed over 180 days ago (issue 35): a message's p99 and the run's figures
//   --smoke      tiny sizes, a few calls each: checks in a minute that all of it still works (CI)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, dropDatabase } from '../tools/local.mjs';
import { blockingSearches, callList, hasSearch, login, timeCalls } from './data-calls.mjs';
import { fillDatabase, fillPlan, uuidOf } from './data-fill.mjs';
import {
  blockingTable,
  callTable,
  fillTable,
  retentionTable,
  searchTable,
} from './data-report.mjs';
import {
  createTeam,
  openPglite,
  openPostgres,
  PASSWORD,
  startServer,
  waitForUpkeep,
} from './data-server.mjs';
import { AGENT_NAMES, TAGS } from './data-text.mjs';
import { median, spawnNode, stop, waitForLine } from './lib.mjs';

const KNOWN = [
  'db',
  'row-seconds',
  'messages',
  'large',
  'fill-minutes',
  'server',
  'compare',
  'reuse',
  'blocking',
  'no-blocking',
  'retention',
  'smoke',
];
const args = process.argv.slice(2);
const unknown = args.filter((a) => !KNOWN.includes(a.replace(/^--/, '').split('=')[0]));
if (unknown.length > 0) {
  console.error(`unknown option(s) ${unknown.join(' ')}; see the top of bench/data.mjs`);
  process.exit(2);
}
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const smoke = flag('smoke');
const large = flag('large');
const kinds = { both: ['postgres', 'pglite'], postgres: ['postgres'], pglite: ['pglite'] }[
  option('db') ?? (large ? 'postgres' : 'both')
];
if (!kinds) throw new Error('--db is postgres, pglite or both');
const sizeOf = (kind) =>
  Number(
    option('messages') ??
      (smoke ? 3_000 : kind === 'pglite' ? 400_000 : large ? 20_000_000 : 2_000_000),
  );
const fillMinutes = Number(option('fill-minutes') ?? (large ? 90 : 30));
const onlyBlocking = flag('blocking');
const blocking = !flag('no-blocking') && kinds.includes('pglite');
const timing = smoke
  ? { count: 3, warmup: 1, budgetMs: 10_000 }
  : { count: 20, warmup: 2, budgetMs: Number(option('row-seconds') ?? 60) * 1000 };

const root = fileURLToPath(new URL('..', import.meta.url));
const bench = join(root, 'bench');
// Not bench/.out: `npm run bench` empties that one when it starts.
const work = join(bench, '.data');
const results = join(bench, 'results');
const pgliteDir = join(work, 'pglite');
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const startedAt = Date.now();
const log = (line) =>
  console.error(`[bench:data ${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${line}`);

// ---- the server: this build, or the one given, copied so that a rebuild cannot move it -------

const givenServer = option('server');
if (!givenServer && !(smoke && existsSync(join(root, 'packages/server/dist/main.js')))) {
  log('building @parley/server');
  const r = spawnSync('npm', ['run', 'build', '-w', '@parley/server'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('build of @parley/server failed');
}
const serverDir = dirname(resolve(givenServer ?? join(root, 'packages/server/dist/main.js')));
mkdirSync(work, { recursive: true });
mkdirSync(results, { recursive: true });
rmSync(join(work, 'dist'), { recursive: true, force: true });
cpSync(serverDir, join(work, 'dist'), { recursive: true });
const mainJs = join(work, 'dist', 'main.js');
// The build compared with (`--compare`, the "before"): it makes the schema and the fill, and
// measures a copy of it, while this build migrates the original at its first start.
const compareServer = option('compare');
rmSync(join(work, 'dist-compare'), { recursive: true, force: true });
if (compareServer)
  cpSync(dirname(resolve(compareServer)), join(work, 'dist-compare'), { recursive: true });
const compareJs = compareServer ? join(work, 'dist-compare', 'main.js') : undefined;
const comparePgliteDir = `${pgliteDir}-compare`;
const retentionPgliteDir = `${pgliteDir}-retention`;
/** What `--retention` keeps: about half of the fill's year goes. */
const RETENTION_DAYS = 180;
const compareDatabase = 'parley_bench_data_compare';
// This build's migrations: a superset of the extensions either build's schema may use.
const openEmbedded = () => openPglite(pgliteDir, join(work, 'dist', 'migrations'));

const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const today = Date.parse(`${day(Date.now())}T00:00:00Z`);
/** The analytics ranges measured, as whole UTC days (the server's definition). */
const ranges = Object.fromEntries(
  [30, 365].map((days) => [days, { from: day(today - (days - 1) * 86_400_000), to: day(today) }]),
);

/** The ranges with what the overview must say, counted from the tables directly. */
async function countRanges(session) {
  const counted = {};
  for (const [days, range] of Object.entries(ranges)) {
    const bounds = `created_at >= '${range.from}' AND created_at < '${range.to}'::date + 1`;
    const [row] = (
      await session.query(`SELECT (SELECT count(*) FROM conversations WHERE ${bounds})::int AS c,
        (SELECT count(*) FROM messages WHERE type <> 'system' AND ${bounds})::int AS m`)
    ).rows;
    counted[days] = { ...range, expected: { conversations: row.c, messages: row.m } };
  }
  return counted;
}

/** A fresh database of `kind`, migrated by the server, with its team, filled by SQL. */
async function prepare(kind) {
  const metaFile = join(work, `${kind}.json`);
  const target = sizeOf(kind);
  if (flag('reuse') && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.target === target && (!compareJs || meta.compareEnv)) {
      log(`${kind}: reusing the database filled at ${meta.plan.endIso}`);
      return { ...meta, counted: undefined };
    }
  }
  let env;
  if (kind === 'postgres') {
    env = { DATABASE_URL: await createDatabase(adminUrl, 'parley_bench_data') };
  } else {
    rmSync(pgliteDir, { recursive: true, force: true });
    env = { DATA_DIR: pgliteDir };
  }
  const migrating = await startServer(compareJs ?? mainJs, env);
  // Three for a smoke run: each account costs a password hash.
  const team = await createTeam(migrating.url, smoke ? 3 : AGENT_NAMES.length);
  await stop(migrating.proc);
  log(`${kind}: migrated by the server, team of ${team.length} made through the API`);
  let counted;
  const plan = fillPlan(target, { passes: large && kind === 'postgres' ? 4 : 1 });
  log(
    `${kind}: filling ${target.toLocaleString('en')} messages (${plan.conversations.toLocaleString('en')} conversations)`,
  );
  const fill = await fillDatabase({
    open: kind === 'postgres' ? () => openPostgres(env.DATABASE_URL) : openEmbedded,
    workers: kind === 'postgres' ? 2 : 1, // PGlite is one session
    vacuum: kind === 'postgres',
    plan,
    agents: team,
    deadline: Date.now() + fillMinutes * 60_000,
    log: (line) => log(`${kind}: ${line}`),
    inspect: async (session) => (counted = await countRanges(session)),
  });
  if (fill.stoppedEarly)
    log(
      `${kind}: stopped at the ${fillMinutes}-minute limit, ${fill.chunksDone} of ${fill.chunks} chunks`,
    );
  const meta = { kind, target, env, team, plan, fill, counted };
  if (compareJs) {
    // The same fill for the build compared with, as its own copy: each build migrates and
    // vacuums its own, and on PGlite only one process may open a data directory.
    if (kind === 'postgres') {
      await dropDatabase(adminUrl, compareDatabase);
      const admin = await openPostgres(adminUrl);
      await admin.query(`CREATE DATABASE ${compareDatabase} TEMPLATE parley_bench_data`);
      await admin.close();
      meta.compareEnv = {
        DATABASE_URL: env.DATABASE_URL.replace(/parley_bench_data$/, compareDatabase),
      };
    } else {
      rmSync(comparePgliteDir, { recursive: true, force: true });
      cpSync(pgliteDir, comparePgliteDir, { recursive: true });
      meta.compareEnv = { DATA_DIR: comparePgliteDir };
    }
    log(`${kind}: copied the fill for the build compared with`);
  }
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  return meta;
}

/**
 * Measures this build, and with `--compare` the other one beside it, on the filled database:
 * cold starts, then every call (the two servers' calls taking turns), then on PGlite the
 * blocking part, each build alone. One result per build.
 */
async function measure(meta) {
  const { kind, team, fill } = meta;
  let counted = meta.counted;
  if (!counted) {
    const session =
      kind === 'postgres' ? await openPostgres(meta.env.DATABASE_URL) : await openEmbedded();
    counted = await countRanges(session);
    await session.close();
  }
  const builds = [
    ...(compareJs ? [{ build: 'before', mainJs: compareJs, env: meta.compareEnv }] : []),
    { build: compareJs ? 'after' : undefined, mainJs, env: meta.env },
  ];
  const admin = { email: team[0].email, password: PASSWORD };
  const results = [];
  const running = [];
  try {
    for (const b of builds) {
      // Cold starts on the filled database: two alone, and the start of the server measured.
      // On PGlite each waits for the server's own vacuum and analyze (the first start does
      // them). A build's first start also migrates: that one is not timed.
      const colds = [];
      const upkeeps = [];
      const start = async (timed = true) => {
        const s = await startServer(b.mainJs, b.env);
        if (timed) colds.push(s.startMs);
        if (kind === 'pglite') upkeeps.push(await waitForUpkeep(s.url));
        return s;
      };
      if (compareJs && !smoke) {
        // The "after" build's first start migrates the "before" build's database: how long an
        // upgrade's migrations take at this size.
        const first = await start(false);
        log(
          `${kind}${b.build ? ` (${b.build})` : ''}: first start, migrations included: ${first.startMs} ms`,
        );
        await stop(first.proc);
      }
      for (let i = 0; i < (smoke ? 0 : 2); i++) await stop((await start()).proc);
      const server = await start();
      running.push(server);
      results.push({
        kind,
        build: b.build,
        target: meta.target,
        fill,
        cold: { p50: median(colds), max: Math.max(...colds) },
        upkeep: upkeeps.find(Boolean),
        calls: [],
        url: server.url,
      });
    }
    if (!onlyBlocking) {
      const targets = {
        ...fill.expected,
        longConversationId: uuidOf('c', fill.expected.longConversation),
        assigneeId: team[team.length - 1].id,
        tag: TAGS[0],
        ranges: counted,
      };
      const rows = [];
      for (const r of results) rows.push(await callList(r.url, await login(r.url, admin), targets));
      for (let i = 0; i < rows[0].length; i++) {
        log(`${kind}: ${rows[0][i].call}`);
        const timed = await timeCalls(
          results.map((r, j) => ({ url: r.url, row: rows[j][i], credentials: admin })),
          timing,
        );
        timed.forEach((t, j) =>
          results[j].calls.push({ key: rows[j][i].key, call: rows[j][i].call, ...t }),
        );
      }
    }
  } finally {
    for (const server of running) await stop(server.proc);
  }
  if (blocking && kind === 'pglite')
    for (const [j, b] of builds.entries()) {
      const server = await startServer(b.mainJs, b.env);
      try {
        await waitForUpkeep(server.url);
        results[j].blocking = await runBlocking(server.url, team, admin, b.build);
      } finally {
        await stop(server.proc);
      }
    }
  // Retention deletes: on a copy of this build's fill, which stays as it was for --reuse.
  if (flag('retention') && kind === 'pglite') {
    const last = builds.length - 1;
    rmSync(retentionPgliteDir, { recursive: true, force: true });
    cpSync(builds[last].env.DATA_DIR, retentionPgliteDir, { recursive: true });
    const server = await startServer(builds[last].mainJs, { DATA_DIR: retentionPgliteDir });
    try {
      await waitForUpkeep(server.url);
      results[last].retention = await runBlocking(server.url, team, admin, builds[last].build, {
        retention: true,
      });
    } finally {
      await stop(server.proc);
      rmSync(retentionPgliteDir, { recursive: true, force: true });
    }
  }
  for (const r of results) delete r.url;
  return results;
}

async function runBlocking(url, team, admin, build, opts = {}) {
  log(
    `pglite${build ? ` (${build})` : ''}: blocking part, chats alone then beside ` +
      (opts.retention ? 'a retention run' : 'searches and 365-day reports'),
  );
  const token = await login(url, admin);
  const search = (await hasSearch(url, token)) ? '/api/search?q=' : '/api/conversations?q=';
  const year = ranges[365];
  const config = {
    pairs: smoke ? 10 : 50,
    warmupMs: smoke ? 500 : 3_000,
    phaseMs: smoke ? 2_000 : 15_000,
    agents: team.map((a) => ({ email: a.email, password: PASSWORD })),
    admin,
    background: [
      ...blockingSearches().map((q) => `${search}${encodeURIComponent(q)}`),
      ...['timeseries', 'agents', 'overview'].map(
        (r) => `/api/analytics/${r}?from=${year.from}&to=${year.to}`,
      ),
    ],
    // Conversations closed over half a year ago lose their content: about half of the fill.
    ...(opts.retention
      ? {
          busyStart: {
            method: 'PATCH',
            path: '/api/settings/retention',
            body: { closedConversationDays: RETENTION_DAYS },
          },
        }
      : {}),
  };
  const proc = spawnNode([join(bench, 'blocking.mjs'), url, JSON.stringify(config)]);
  const line = await waitForLine(proc, /^\{/, 300_000);
  await proc.exited;
  return { ...JSON.parse(line), search, build };
}

// ---- run ---------------------------------------------------------------------------------------

const measured = [];
for (const kind of kinds) {
  if (onlyBlocking && kind !== 'pglite') continue;
  measured.push(...(await measure(await prepare(kind))));
}
const report = [
  `Parley bench:data${smoke ? ' (SMOKE: tiny sizes, not figures)' : ''}, ${new Date().toISOString()}, ` +
    `node ${process.version}, server ${givenServer ?? 'this build'}` +
    (compareServer ? ` (after) against ${compareServer} (before), their calls taking turns` : '') +
    `; p50 / p95 of ${timing.count} calls after ${timing.warmup} untimed`,
  '',
  fillTable(measured),
  '',
  ...(onlyBlocking ? [] : [searchTable(measured), '', callTable(measured), '']),
  ...measured.filter((m) => m.blocking).flatMap((m) => [blockingTable(m.blocking), '']),
  ...measured.filter((m) => m.retention).flatMap((m) => [retentionTable(m.retention), '']),
  `Whole run: ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
].join('\n');
console.log(report);
// One file per set of databases, so that a PostgreSQL run does not overwrite a PGlite one.
const name = [
  'data',
  ...new Set(measured.map((m) => m.kind)),
  ...(compareServer ? ['compare'] : []),
  ...(smoke ? ['smoke'] : []),
].join('-');
writeFileSync(join(results, `${name}.md`), `${report}\n`);
writeFileSync(join(results, `${name}.json`), JSON.stringify(measured, null, 2));
