import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations, messages } from '../src/db/schema.js';
import {
  api,
  connectVisitor,
  createAdmin,
  createAgent,
  createVisitor,
  newClientId,
  startVisitorChat,
  type SignedInAgent,
} from './factories.js';
import { useServer } from './harness.js';

/**
 * What the reports call a first response, as the message path records it: the first agent text
 * after the visitor first wrote (not a note, not a system line, not an agent's opening line),
 * and who wrote it.
 */
const server = useServer();

async function agentSays(
  agent: SignedInAgent,
  conversationId: string,
  content: string,
  type = 'text',
) {
  const reply = await api(server.current, 'POST', '/api/messages', {
    token: agent.token,
    body: { conversationId, content, clientId: newClientId(), type },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

async function firsts(conversationId: string) {
  const db = server.database.db;
  const [row] = await db
    .select({
      visitorAt: conversations.firstVisitorMessageAt,
      responseAt: conversations.firstResponseAt,
      responder: conversations.firstResponderId,
    })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  const sent = await db
    .select({ content: messages.content, at: messages.createdAt })
    .from(messages)
    .where(eq(messages.conversationId, conversationId));
  const at = (content: string) => sent.find((m) => m.content === content)?.at ?? null;
  return { ...row, at };
}

describe('the first response', () => {
  it('is the first agent text after the visitor wrote, credited to its writer', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const bea = await createAgent(s, admin, { name: 'Bea' });
    const cy = await createAgent(s, admin, { name: 'Cy' });
    const chat = await startVisitorChat(s, 'Where is my parcel?');
    const id = chat.started.conversation.id;
    // Bea takes it ("Bea joined the chat") and writes a note: neither answers the visitor.
    await api(s, 'POST', `/api/conversations/${id}/assign`, {
      token: bea.token,
      body: { agentId: bea.user.id },
    });
    await agentSays(bea, id, 'Checking the carrier', 'note');
    expect((await firsts(id)).responseAt).toBeNull();
    await agentSays(cy, id, 'It left the depot this morning');
    await agentSays(bea, id, 'Anything else?');

    const f = await firsts(id);
    expect(f.visitorAt).toEqual(f.at('Where is my parcel?'));
    expect(f.responseAt).toEqual(f.at('It left the depot this morning'));
    expect(f.responder).toBe(cy.user.id);
  });

  it('of a chat an agent opened waits for the visitor, and answers their first line', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const session = await createVisitor(s);
    const widget = await connectVisitor(s, session.visitorToken);
    const opened = await api(s, 'POST', `/api/visitors/${session.visitor.id}/conversations`, {
      token: admin.token,
      body: { clientId: newClientId(), content: 'Need a hand with your order?' },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.conversation.id as string;
    await agentSays(admin, id, 'We ship to Norway too');
    expect(await firsts(id)).toMatchObject({ visitorAt: null, responseAt: null, responder: null });

    const sent = await widget.timeout(5000).emitWithAck('message.send', {
      conversationId: id,
      content: 'Yes, how long?',
      clientId: newClientId(),
    });
    expect(sent.ok).toBe(true);
    await agentSays(admin, id, 'Three days');
    const f = await firsts(id);
    expect(f.visitorAt).toEqual(f.at('Yes, how long?'));
    expect(f.responseAt).toEqual(f.at('Three days'));
    expect(f.responder).toBe(admin.user.id);
  });
});
