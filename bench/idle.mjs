// Load generator for issue 7, part 2: visitor sockets that connect and then sit idle, as widgets
// on open pages do. For each count it reaches, it prints `holding <n>` and waits for a line on
// stdin (the bench reads the server's memory meanwhile), then goes on to the next count.
//
//   node bench/idle.mjs <url> <count>[,<count>...]
import { createInterface } from 'node:readline';
import { connect, visitorToken } from './clients.mjs';
import { pool } from './lib.mjs';

const [url, list] = process.argv.slice(2);
const counts = list.split(',').map(Number);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const sockets = [];

for (const count of counts) {
  const missing = Array.from({ length: count - sockets.length });
  const added = await pool(missing, 100, async () =>
    connect(url, '/visitor', { visitorToken: await visitorToken(url) }),
  );
  sockets.push(...added);
  console.log(`holding ${sockets.length}`);
  await lines.next();
}
for (const socket of sockets) socket.close();
process.exit(0);
