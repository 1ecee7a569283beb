import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { api } from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

// ARCHITECTURE.md: the event loop never waits on the database's CPU. The embedded PGlite runs
// on a thread of its own (PostgreSQL, in a process of its own): a query that holds the database
// for seconds holds no request that does not need it.
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
