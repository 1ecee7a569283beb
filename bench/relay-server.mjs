// The baseline: a bare Socket.io relay with the same events as Parley and nothing else. A
// visitor's message is relayed to the agents and then acked; an agent's reply is relayed to the
// conversation's visitor and then acked. No validation, no storage, no rooms helper.
//
// With DATABASE_URL, the same relay stores each message before it relays and acks it, with
// Parley's group commit (one statement and one commit per batch, two batches in flight, no
// timer): the floors under any durable path on this machine.
// - FLOOR=bare: a table with only a primary key. What durability itself costs.
// - FLOOR=schema: Parley's own tables (the database is migrated by Parley first), with the least
//   that docs/architecture.md "The path of a message" asks of a message: the row and its
//   indexes, and the conversation's next seq, last_seq and last_message_at, in one transaction.
//   No ownership or closed check, no resend handling, no validation, no events, no recovery.
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

const db = process.env.DATABASE_URL
  ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 })
  : null;
const schema = process.env.FLOOR === 'schema';
/** The visitor each conversation belongs to (FLOOR=schema). */
const visitorOf = new Map();
const AGENT_ID = randomUUID();
const durable = db ? await groupCommit() : null;
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
  socket.on('conversation.start', async (p, ack) => {
    const id = randomUUID();
    if (schema) {
      const visitorId = randomUUID();
      await db.query(
        `with v as (insert into visitors (id) values ($2)) insert into conversations (id, visitor_id) values ($1, $2)`,
        [id, visitorId],
      );
      visitorOf.set(id, visitorId);
    }
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

async function groupCommit() {
  const columns =
    'id uuid, conversation_id uuid, client_id uuid, sender text, sender_id uuid, content text';
  if (!schema) {
    await db.query(`create table if not exists floor_messages (
      id uuid primary key, conversation_id uuid not null, seq int not null, client_id uuid,
      sender text not null, sender_id uuid, content text not null,
      created_at timestamptz not null default now())`);
  }
  // Either statement returns each stored message's seq and createdAt for the ack: the bare
  // floor stores the seq the relay counted, the schema floor takes the conversation's next.
  const insert = schema
    ? `with input as (
        select * from json_to_recordset($1::json) as t(i int, ${columns})
      ),
      bumped as (
        update conversations c set last_seq = c.last_seq + a.n, last_message_at = now()
        from (select conversation_id, count(*)::int as n from input group by conversation_id) a
        where c.id = a.conversation_id
        returning c.id, c.last_seq - a.n as base
      )
      insert into messages (id, conversation_id, seq, client_id, sender, sender_id, content, type)
      select input.id, input.conversation_id,
        bumped.base + row_number() over (partition by input.conversation_id order by input.i),
        client_id, sender, sender_id, content, 'text'
      from input join bumped on bumped.id = input.conversation_id
      returning id, seq, created_at`
    : `insert into floor_messages (id, conversation_id, seq, client_id, sender, sender_id, content)
      select id, conversation_id, seq, client_id, sender, sender_id, content
      from json_to_recordset($1::json) as t(i int, seq int, ${columns})
      returning id, seq, created_at`;
  let queue = [];
  let inFlight = 0;
  let scheduled = false;
  const pump = () => {
    while (inFlight < 2 && queue.length > 0) {
      const batch = queue;
      queue = [];
      inFlight++;
      const rows = batch.map(({ m }, i) => ({
        i,
        id: m.id,
        seq: m.seq,
        conversation_id: m.conversationId,
        client_id: m.clientId,
        sender: m.sender,
        sender_id: m.sender === 'agent' ? AGENT_ID : visitorOf.get(m.conversationId),
        content: m.content,
      }));
      db.query({ name: 'floor_insert', text: insert, values: [JSON.stringify(rows)] }).then(
        (result) => {
          inFlight--;
          const byId = new Map(result.rows.map((r) => [r.id, r]));
          for (const { m, then } of batch) {
            const row = byId.get(m.id);
            m.seq = row.seq;
            m.createdAt = row.created_at.toISOString();
            then();
          }
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
