import { describe, expect, it } from 'vitest';
import {
  api,
  createAdmin,
  createAgent,
  newClientId,
  startVisitorChat,
  waitFor,
} from './factories.js';
import { toOf, useEmailServer } from './support/email-server.js';

// A note's mentions by email (issue 37, item 4), through a real SMTP server: only to teammates
// who asked for it, never to the one who wrote the note.
const email = useEmailServer();

describe('mentions by email', () => {
  it('emails a mentioned teammate who asked for it, and nobody else', async () => {
    const s = email.server.current;
    const admin = await createAdmin(s);
    const bob = await createAgent(s, admin, { name: 'Bob Agent' });
    const cat = await createAgent(s, admin, { name: 'Cat Agent' });
    // Bob asks for mention emails; Cat does not; the admin does, but writes the note.
    for (const who of [bob, admin]) {
      const res = await api(s, 'PATCH', '/api/auth/me/notifications', {
        token: who.token,
        body: { mentionEmails: true },
      });
      expect(res.body.preferences.mentionEmails).toBe(true);
    }
    const chat = await startVisitorChat(s, 'Where is my parcel?');
    const conversationId = chat.started.conversation.id;
    const sent = await api(s, 'POST', '/api/messages', {
      token: admin.token,
      body: {
        conversationId,
        content: '@Bob Agent @Cat Agent this one is for you',
        clientId: newClientId(),
        type: 'note',
        mentions: [bob.user.id, cat.user.id, admin.user.id],
      },
    });
    expect(sent.status).toBe(201);
    await waitFor(() => email.mailTo(bob.user.email).length > 0);
    const [mail] = email.mailTo(bob.user.email);
    expect(mail?.subject).toBe('Ada Admin mentioned you');
    expect(mail?.text).toContain('@Bob Agent @Cat Agent this one is for you');
    expect(mail?.text).toContain(`https://chat.acme.example/conversations/${conversationId}`);
    // Cat and the writer get nothing (the admin's other mail is the waiting chat's alert).
    await new Promise((r) => setTimeout(r, 1000));
    const mentions = email.smtp.received.filter((m) => m.subject?.endsWith('mentioned you'));
    expect(mentions.map(toOf)).toEqual([bob.user.email]);
  });
});
