// Load generator for issue 7, part 1: N conversations in a closed loop. Each visitor sends a
// message; the agent replies as soon as it is delivered; the visitor sends its next message as
// soon as the reply is delivered. One round trip = visitor send → agent delivery → agent send →
// visitor delivery: two durable messages. Throughput and percentiles count the round trips that
// complete inside the measured window (after a warm-up). Runs against Parley or the bare relay with the same
// client code, in its own process, and prints one JSON line.
//
//   node bench/conversations.mjs <url> <parley|relay> <conversations> <warmupMs> <measureMs>
import { agentToken, command, connect, newClientId, visitorToken } from './clients.mjs';
import { pool, sleep } from './lib.mjs';

const [url, target, n, warmupMs, measureMs] = process.argv.slice(2);
const conversations = Number(n);
const parley = target === 'parley';

let phase = 'setup'; // setup → warmup → measure → drain
let windowStart = 0;
let windowEnd = 0;
const rtts = [];
let errors = 0;
let firstError;
const fail = (error) => {
  errors++;
  firstError ??= String(error?.message ?? error);
};

const agent = await connect(url, '/agent', parley ? { token: await agentToken(url) } : {});

// The agent's side: answer every visitor message of the loop as soon as it is delivered.
agent.on('message.created', (m) => {
  if (m.sender !== 'visitor' || !m.content.startsWith('q ')) return;
  command(agent, 'message.send', {
    conversationId: m.conversationId,
    content: `a ${m.content.slice(2)}`,
    clientId: newClientId(),
    type: 'text',
  }).catch(fail);
});

const chats = await pool(
  Array.from({ length: conversations }, (_, i) => i),
  50,
  async (i) => {
    const auth = parley ? { visitorToken: await visitorToken(url) } : {};
    const socket = await connect(url, '/visitor', auth);
    const started = await command(socket, 'conversation.start', {
      content: `hello ${i}`,
      clientId: newClientId(),
    });
    return {
      socket,
      conversationId: started.conversation.id,
      sentAt: 0,
      counter: 0,
      waiting: false,
    };
  },
);

const send = (chat) => {
  if (phase === 'drain') return;
  chat.counter++;
  chat.sentAt = performance.now();
  chat.waiting = true;
  command(chat.socket, 'message.send', {
    conversationId: chat.conversationId,
    content: `q ${chat.counter}`,
    clientId: newClientId(),
  }).catch(fail);
};

for (const chat of chats) {
  chat.socket.on('message.created', (m) => {
    if (m.sender !== 'agent' || m.content !== `a ${chat.counter}` || !chat.waiting) return;
    chat.waiting = false;
    const now = performance.now();
    if (phase === 'measure') rtts.push(now - chat.sentAt);
    send(chat);
  });
}

phase = 'warmup';
for (const chat of chats) send(chat);
await sleep(Number(warmupMs));
phase = 'measure';
windowStart = performance.now();
await sleep(Number(measureMs));
windowEnd = performance.now();
phase = 'drain';
// Let the loops in flight finish, so the server is quiet for whatever runs next.
for (let waited = 0; waited < 10_000 && chats.some((c) => c.waiting); waited += 50) await sleep(50);

const seconds = (windowEnd - windowStart) / 1000;
const sorted = Float64Array.from(rtts).sort();
const at = (q) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
console.log(
  JSON.stringify({
    target,
    conversations,
    seconds,
    roundTrips: rtts.length,
    messagesPerSecond: (2 * rtts.length) / seconds,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    firstError,
    stuck: chats.filter((c) => c.waiting).length,
  }),
);
for (const chat of chats) chat.socket.close();
agent.close();
process.exit(0);
