import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { testDatabaseKind } from './database.js';
import { api } from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

// docs/architecture.md "The embedded database": the event loop never waits on the database's
// CPU. The embedded PGlite runs on a thread of its own (PostgreSQL, in a process of its own): a
// query that holds the database for seconds holds no request that does not need it.
it('answers /healthz and fires timers while the database is busy with a slow query', async () => {
  const s = server.current;
  let finished = false;
  const slow = s.ctx.db.execute(sql`select pg_sleep(2)`).then(() => {
    finished = true;
  });
  // Were the query running on this thread, this timer would fire only once it had finished.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect((await api(s, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
  expect(finished).toBe(false);
  await slow;
  expect(finished).toBe(true);
});

// PGlite runs one query at a time. A report runs several at once; a chat message's query that
// comes after them goes before them all but one already running.
it.runIf(testDatabaseKind === 'pglite')(
  'runs a chat query before the queued queries of a report',
  async () => {
    const { db, backgroundDb } = server.current.ctx;
    const order: string[] = [];
    const run = (name: string, query = sql`select 1`, on = db) =>
      on.execute(query).then(() => order.push(name));
    const running = run('running', sql`select pg_sleep(0.2)`);
    const report = Promise.all(
      [1, 2, 3].map((n) => run(`report ${n}`, sql`select pg_sleep(0.05)`, backgroundDb)),
    );
    const chat = run('chat');
    await Promise.all([running, report, chat]);
    expect(order).toEqual(['running', 'chat', 'report 1', 'report 2', 'report 3']);
  },
);
