// A bot that answers first and hands over to a person (docs/bots.md). No dependencies: Node 20.
//   PARLEY_URL=https://chat.example.com PARLEY_TOKEN=parley_… PARLEY_WEBHOOK_SECRET=whsec_… \
//   PORT=3030 node examples/bot.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const { PARLEY_URL, PARLEY_TOKEN, PARLEY_WEBHOOK_SECRET, PORT = '3030' } = process.env;

async function parley(method, path, body) {
  const res = await fetch(PARLEY_URL + path, {
    method,
    headers: { authorization: `Bearer ${PARLEY_TOKEN}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const signed = (raw, header = '') => {
  const { t, v1 = '' } = Object.fromEntries(header.split(',').map((p) => p.split('=', 2)));
  if (!(Math.abs(Date.now() / 1000 - Number(t)) < 300)) return false;
  const expected = createHmac('sha256', PARLEY_WEBHOOK_SECRET).update(`${t}.${raw}`).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

function answer(text) {
  if (/human|person|agent/i.test(text))
    return { text: 'Connecting you with a person now.', handOver: true };
  if (/hour|open/i.test(text)) return { text: 'We are open 9:00 to 17:00, Monday to Friday.' };
  if (/ship|deliver/i.test(text)) return { text: 'Orders ship within 2 working days.' };
  return { text: "I'm the Acme bot: ask about opening hours or shipping, or type “human”." };
}

/**
 * Answers a visitor's message in a conversation the bot holds. The reply's clientId is the
 * message's id, so answering the same message twice (a retried webhook) is one reply.
 */
async function reply(me, conversationId, message) {
  const { conversation } = await parley('GET', `/api/conversations/${conversationId}`);
  if (conversation.assigneeId !== me.id || conversation.status === 'closed') return;
  const { text, handOver } = answer(message.content);
  await parley('POST', '/api/messages', { conversationId, content: text, clientId: message.id });
  if (handOver) await parley('POST', `/api/conversations/${conversationId}/handover`);
}

async function handle(me, event) {
  const { type, data } = event;
  if (type === 'message.created' && data.message.sender === 'visitor') {
    await reply(me, data.message.conversationId, data.message);
  } else if (type === 'conversation.assigned' && data.assignee.id === me.id) {
    // Given the chat after the visitor's first message: answer what they asked last.
    const { messages } = await parley('GET', `/api/conversations/${data.conversation.id}/messages`);
    const last = messages.filter((m) => m.sender === 'visitor').at(-1);
    if (last) await reply(me, data.conversation.id, last);
  }
}

const { user: me } = await parley('GET', '/api/auth/me');
createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    if (!signed(raw, req.headers['parley-signature'])) return res.writeHead(400).end();
    // Answered once handled: a failure is retried by Parley, and a retry replies no twice.
    handle(me, JSON.parse(raw)).then(
      () => res.writeHead(204).end(),
      (err) => {
        console.error('bot:', err.message);
        res.writeHead(500).end();
      },
    );
  });
}).listen(Number(PORT), () => console.log(`${me.name} listens on port ${PORT}`));
