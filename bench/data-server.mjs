// What `npm run bench:data` needs of a server and its database: the server started from the
// bench's copy of a bundle, timed to its first `/healthz`; the team made through its API; and a
// plain SQL session on the database, opened as the server opens it, for the fill.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from '../tools/local.mjs';
import { AGENT_NAMES } from './data-text.mjs';
import { serverFlags, sleep, spawnNode } from './lib.mjs';

export const PASSWORD = 'bench-password-123';

const serverEnv = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  RATE_LIMITS: 'off',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  DATABASE_URL: '',
  REDIS_URL: '',
};

/**
 * Spawns `mainJs` and resolves once `/healthz` answers: `startMs` is the cold start as a
 * client sees it.
 */
export async function startServer(mainJs, env) {
  const port = await freePort();
  const spawned = performance.now();
  const proc = spawnNode([...serverFlags, mainJs], {
    env: { ...serverEnv, ...env, PORT: String(port) },
    cwd: dirname(mainJs),
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (performance.now() - spawned > 600_000)
      throw new Error(`server not healthy:\n${proc.output()}`);
    await sleep(20);
  }
  return { url, proc, startMs: performance.now() - spawned };
}

/**
 * On PGlite, Parley's own first check of what autovacuum would do (the server's db/upkeep.ts),
 * waited for through /metrics: then the calls meet the database as it stays. Returns the
 * vacuum and analyze it did, each table's seconds (how long it held the database); undefined
 * for a build without it (`--server=` an older one), whose PGlite is then never vacuumed.
 */
export async function waitForUpkeep(url) {
  const started = performance.now();
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    if (!text.includes('parley_db_upkeep_checks_total')) return undefined;
    if (/^parley_db_upkeep_checks_total [1-9]/m.test(text)) {
      const tables = [
        ...text.matchAll(
          /^parley_db_upkeep_seconds_sum\{table="(\w+)",operation="(\w+)"\} ([\d.e+-]+)$/gm,
        ),
      ].map(([, table, operation, seconds]) => ({ table, operation, seconds: Number(seconds) }));
      return { tables, seconds: tables.reduce((sum, t) => sum + t.seconds, 0) };
    }
    if (performance.now() - started > 600_000) throw new Error('no upkeep check in 10 minutes');
    await sleep(100);
  }
}

/**
 * PGlite in `dataDir`, with the extensions the bundle's migrations create (the server loads
 * them too): without them, an insert could not maintain an index that uses one.
 */
export async function openPglite(dataDir, migrations) {
  const { PGlite } = await import('@electric-sql/pglite');
  const names = readdirSync(migrations)
    .filter((f) => f.endsWith('.sql'))
    .flatMap((f) => [
      ...readFileSync(join(migrations, f), 'utf8').matchAll(
        /create extension (?:if not exists )?"?(\w+)"?/gi,
      ),
    ])
    .map((m) => m[1]);
  const extensions = {};
  for (const name of new Set(names))
    extensions[name] = (await import(`@electric-sql/pglite/contrib/${name}`))[name];
  const db = await PGlite.create(dataDir, { extensions });
  return {
    query: async (text) => {
      const r = await db.query(text);
      return { rows: r.rows, count: r.affectedRows ?? 0 };
    },
    close: () => db.close(),
  };
}

export async function openPostgres(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The fill's statements are estimated at millions of rows: JIT compiling them costs seconds.
  await client.query('SET jit = off');
  return {
    query: async (text) => {
      const r = await client.query(text);
      return { rows: r.rows, count: r.rowCount ?? 0 };
    },
    close: () => client.end(),
  };
}

/**
 * The team: the admin (the first account) and `size - 1` agents invited through the API, each
 * with a password hash as in production.
 */
export async function createTeam(url, size) {
  const email = (name) => `${name.split(' ')[0].toLowerCase()}@bench.test`;
  const [adminName, ...others] = AGENT_NAMES.slice(0, size);
  const post = (path, body, token) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const admin = { name: adminName, email: email(adminName), password: PASSWORD };
  const registered = await post('/api/auth/register', admin);
  const team = [{ id: registered.user.id, name: adminName, email: email(adminName) }];
  for (const name of others) {
    // An admin invites; the person chooses their password through the link (never the admin).
    const invited = await post(
      '/api/invitations',
      { name, email: email(name), role: 'agent', sendEmail: false },
      registered.accessToken,
    );
    if (!invited.token) throw new Error(`invitation failed: ${JSON.stringify(invited)}`);
    const joined = await post('/api/invitations/accept', {
      token: invited.token,
      password: PASSWORD,
    });
    if (!joined.user) throw new Error(`joining failed: ${JSON.stringify(joined)}`);
    team.push({ id: joined.user.id, name, email: email(name) });
  }
  return team;
}
