// Load generator for issue 7, part 2: visitor sockets that connect and then sit idle, as widgets
// on open pages do. For each count it reaches, it prints `holding <n>` and waits for a line on
// stdin (the bench reads the server's memory meanwhile), then goes on to the next count.
//
//   node bench/idle.mjs <url> <count>[,<count>...] [--sessions-first]
//
// Each visitor's session is made as the widget makes it (POST /api/visitors/session), and its
// socket then opened on /visitor with the session's token. By default each visitor does both
// before the next one starts (100 at a time). With --sessions-first, every session of a step is
// made first and its sockets opened after (issue 33's outside probe did this): the server holds
// the sockets without the requests' garbage of the same moments.
import { createInterface } from 'node:readline';
import { connect, visitorToken } from './clients.mjs';
import { pool } from './lib.mjs';

const [url, list] = process.argv.slice(2);
const sessionsFirst = process.argv.includes('--sessions-first');
const counts = list.split(',').map(Number);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const sockets = [];
const open = (token) => connect(url, '/visitor', { visitorToken: token });

for (const count of counts) {
  const missing = Array.from({ length: count - sockets.length });
  const added = sessionsFirst
    ? await pool(await pool(missing, 100, () => visitorToken(url)), 100, open)
    : await pool(missing, 100, async () => open(await visitorToken(url)));
  sockets.push(...added);
  console.log(`holding ${sockets.length}`);
  await lines.next();
}
for (const socket of sockets) socket.close();
process.exit(0);
