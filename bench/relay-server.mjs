// The baseline: a bare Socket.io relay with the same events as Parley and nothing else. A
// visitor's message is relayed to the agents and then acked; an agent's reply is relayed to the
// conversation's visitor and then acked. No validation, no storage, no rooms helper.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });
const agents = io.of('/agent');
const visitors = io.of('/visitor');
const lastSeq = new Map();

const stamp = (conversationId, sender, { clientId, content }) => {
  const seq = (lastSeq.get(conversationId) ?? 0) + 1;
  lastSeq.set(conversationId, seq);
  const createdAt = new Date().toISOString();
  return {
    id: randomUUID(),
    conversationId,
    seq,
    clientId,
    sender,
    content,
    type: 'text',
    createdAt,
  };
};

agents.on('connection', (socket) => {
  socket.join('agents');
  socket.on('message.send', (p, ack) => {
    const message = stamp(p.conversationId, 'agent', p);
    visitors.to(p.conversationId).emit('message.created', message);
    ack?.({ ok: true, data: { message } });
  });
});

visitors.on('connection', (socket) => {
  socket.on('conversation.start', (p, ack) => {
    const id = randomUUID();
    socket.join(id);
    const message = stamp(id, 'visitor', p);
    agents.to('agents').emit('message.created', message);
    ack?.({ ok: true, data: { conversation: { id }, message } });
  });
  socket.on('message.send', (p, ack) => {
    const message = stamp(p.conversationId, 'visitor', p);
    agents.to('agents').emit('message.created', message);
    ack?.({ ok: true, data: { message } });
  });
});

http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('relay listening'));
process.once('SIGTERM', () => {
  io.close();
  process.exit(0);
});
