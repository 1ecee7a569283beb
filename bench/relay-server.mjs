// The baseline: a bare Socket.io relay with the same events as Parley and nothing else. A
// visitor's message is relayed to the agents and then acked; an agent's reply is relayed to the
// conversation's visitor and then acked. No validation, no storage, no rooms helper.
//
// With DATABASE_URL, the same relay becomes the floor of any durable path on this machine: each
// message is first inserted into a table with only a primary key, with Parley's group commit
// (one statement and one commit per batch, two batches in flight, no timer), and relayed and
// acked after the commit. No per-conversation seq, no other index, no conversation row to keep.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
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

const durable = process.env.DATABASE_URL ? await groupCommit(process.env.DATABASE_URL) : null;
/** Runs `then` once the message is stored (at once without a database). */
const stored = (message, then) => (durable ? durable(message, then) : then());

agents.on('connection', (socket) => {
  socket.join('agents');
  socket.on('message.send', (p, ack) => {
    const message = stamp(p.conversationId, 'agent', p);
    stored(message, () => {
      visitors.to(p.conversationId).emit('message.created', message);
      ack?.({ ok: true, data: { message } });
    });
  });
});

visitors.on('connection', (socket) => {
  socket.on('conversation.start', (p, ack) => {
    const id = randomUUID();
    socket.join(id);
    const message = stamp(id, 'visitor', p);
    stored(message, () => {
      agents.to('agents').emit('message.created', message);
      ack?.({ ok: true, data: { conversation: { id }, message } });
    });
  });
  socket.on('message.send', (p, ack) => {
    const message = stamp(p.conversationId, 'visitor', p);
    stored(message, () => {
      agents.to('agents').emit('message.created', message);
      ack?.({ ok: true, data: { message } });
    });
  });
});

async function groupCommit(url) {
  const db = new pg.Pool({ connectionString: url, max: 2 });
  await db.query(`create table if not exists floor_messages (
    id uuid primary key, conversation_id uuid not null, seq int not null, sender text not null,
    content text not null, created_at timestamptz not null default now())`);
  const insert = `insert into floor_messages (id, conversation_id, seq, sender, content)
    select * from json_to_recordset($1::json)
      as t(id uuid, conversation_id uuid, seq int, sender text, content text)`;
  let queue = [];
  let inFlight = 0;
  let scheduled = false;
  const pump = () => {
    while (inFlight < 2 && queue.length > 0) {
      const batch = queue;
      queue = [];
      inFlight++;
      const rows = batch.map(({ m }) => ({
        id: m.id,
        conversation_id: m.conversationId,
        seq: m.seq,
        sender: m.sender,
        content: m.content,
      }));
      db.query({ name: 'floor_insert', text: insert, values: [JSON.stringify(rows)] }).then(
        () => {
          inFlight--;
          for (const { then } of batch) then();
          pump();
        },
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
    }
  };
  return (m, then) => {
    queue.push({ m, then });
    if (inFlight < 2 && !scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        pump();
      });
    }
  };
}

http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('relay listening'));
process.once('SIGTERM', () => {
  io.close();
  process.exit(0);
});
