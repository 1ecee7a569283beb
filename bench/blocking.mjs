// Load generator of `npm run bench:data`'s blocking part (issue 15, item 5): does a slow query
// stall the chats? Chatting pairs (a visitor's socket and an agent's, each answering the other
// after a short pause, as people type) run alone for a while, then while another client runs
// searches and 365-day reports in a loop. Each message is timed from its send to its delivery
// on the other side; `/healthz` is probed all along. Runs in its own process and prints one
// JSON line.
//
// With `busyStart` (a request made once as the busy phase begins, instead of a loop), the busy
// phase is the chats while what it started runs: retention's job (issue 35), whose run is then
// waited for and reported.
//
//   node bench/blocking.mjs <url> <json: {pairs, warmupMs, phaseMs, agents, admin, background,
//     busyStart?: {method, path, body}}>
import { command, connect, newClientId, visitorToken } from './clients.mjs';
import { api, login } from './data-calls.mjs';
import { pool, quantile, sleep } from './lib.mjs';

const [url, json] = process.argv.slice(2);
const config = JSON.parse(json);

let phase = 'setup'; // setup → warmup → alone → busy → drain
const samples = { alone: { delivery: [], health: [] }, busy: { delivery: [], health: [] } };
const background = [];
let errors = 0;
let firstError;
const fail = (error) => {
  errors++;
  firstError ??= String(error?.message ?? error);
};
const measuring = () => phase === 'alone' || phase === 'busy';
const think = () => sleep(200 + Math.random() * 400);

const agents = await Promise.all(
  config.agents.map(async (credentials) =>
    connect(url, '/agent', { token: await login(url, credentials) }),
  ),
);
const pending = new Map(); // content -> { sentAt, phase }
const pairs = new Map(); // conversationId -> pair

const send = (pair, side) => {
  if (phase === 'drain') return;
  const content = `${side === 'visitor' ? 'q' : 'a'} ${pair.index} ${++pair.counter}`;
  pending.set(content, { sentAt: performance.now(), phase });
  const socket = side === 'visitor' ? pair.visitor : pair.agent;
  command(socket, 'message.send', {
    conversationId: pair.conversationId,
    content,
    clientId: newClientId(),
    ...(side === 'agent' ? { type: 'text' } : {}),
  }).catch(fail);
};

/** A delivery on the other side: timed, then answered after a pause. */
const delivered = (pair, m, answer) => {
  const sent = pending.get(m.content);
  if (!sent) return;
  pending.delete(m.content);
  if (measuring() && sent.phase === phase)
    samples[phase].delivery.push(performance.now() - sent.sentAt);
  think().then(() => send(pair, answer));
};

agents.forEach((agent) =>
  agent.on('message.created', (m) => {
    const pair = pairs.get(m.conversationId);
    if (pair?.agent === agent && m.sender === 'visitor') delivered(pair, m, 'agent');
  }),
);

await pool(
  Array.from({ length: config.pairs }, (_, i) => i),
  10,
  async (index) => {
    const socket = await connect(url, '/visitor', { visitorToken: await visitorToken(url) });
    const started = await command(socket, 'conversation.start', {
      content: `hello ${index}`,
      clientId: newClientId(),
    });
    const pair = {
      index,
      counter: 0,
      visitor: socket,
      agent: agents[index % agents.length],
      conversationId: started.conversation.id,
    };
    pairs.set(pair.conversationId, pair);
    socket.on('message.created', (m) => {
      if (m.sender === 'agent') delivered(pair, m, 'visitor');
    });
  },
);

const healthProbe = async () => {
  while (phase !== 'drain') {
    const started = performance.now();
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok) fail(new Error('/healthz failed'));
    if (measuring()) samples[phase].health.push(performance.now() - started);
    await sleep(100);
  }
};

const backgroundLoop = async () => {
  const token = await login(url, config.admin);
  if (config.busyStart) {
    const { method, path, body } = config.busyStart;
    const r = await api(url, path, token, { method, body });
    if (r.status !== 200) fail(new Error(`${path}: HTTP ${r.status}`));
    background.push({ path, ms: r.ms });
    return;
  }
  while (phase === 'busy') {
    for (const path of config.background) {
      if (phase !== 'busy') break;
      const r = await api(url, path, token);
      if (r.status !== 200) fail(new Error(`${path}: HTTP ${r.status}`));
      background.push({ path, ms: r.ms });
    }
  }
};

// Each background call once before the chats start: the first report over a year rolls the
// year's messages up, once (docs/reports.md). That is an upgrade's cost, not the steady state.
{
  const token = await login(url, config.admin);
  for (const path of config.background) await api(url, path, token);
}

phase = 'warmup';
for (const pair of pairs.values()) think().then(() => send(pair, 'visitor'));
const probing = healthProbe();
await sleep(config.warmupMs);
phase = 'alone';
await sleep(config.phaseMs);
phase = 'busy';
const loop = backgroundLoop().catch(fail);
await sleep(config.phaseMs);
phase = 'drain';
await loop;
await probing;
await sleep(1_500); // the last answers in flight

/** Retention's run that the busy phase started: waited for, with its figures and time. */
async function retentionRun() {
  const token = await login(url, config.admin);
  const started = performance.now();
  for (;;) {
    const { body } = await api(url, '/api/settings/retention', token);
    const run = body?.lastRun;
    if (run?.finishedAt) {
      return { ...run, seconds: (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 };
    }
    if (performance.now() - started > 30 * 60_000) return { ...run, unfinished: true };
    await sleep(1_000);
  }
}
const retention = config.busyStart ? await retentionRun() : undefined;

const summary = ({ delivery, health }) => ({
  messages: delivery.length,
  p50: quantile(delivery, 0.5),
  p99: quantile(delivery, 0.99),
  healthProbes: health.length,
  healthP50: quantile(health, 0.5),
  healthP99: quantile(health, 0.99),
  healthMax: Math.max(...health),
});
console.log(
  JSON.stringify({
    pairs: config.pairs,
    agents: agents.length,
    alone: summary(samples.alone),
    busy: {
      ...summary(samples.busy),
      backgroundCalls: background.length,
      backgroundP50: quantile(
        background.map((b) => b.ms),
        0.5,
      ),
    },
    errors,
    firstError,
    retention,
  }),
);
for (const pair of pairs.values()) pair.visitor.close();
for (const agent of agents) agent.close();
process.exit(0);
