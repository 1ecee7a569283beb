import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ConversationListItem, CreateApiTokenReply, Message } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../tools/local.mjs';
import {
  api,
  collect,
  connectAgent,
  createAdmin,
  createAgent,
  newClientId,
  startVisitorChat,
  waitFor,
} from './factories.js';
import { useServer } from './harness.js';

// docs/bots.md's example, run as it is documented: examples/bot.mjs in its own process, told of
// the chat by signed webhooks, answering through the REST API with a bot's token, and handing
// the visitor over to a person when asked.
const server = useServer({
  env: { WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOKS_RETRY_DELAY_MS: '200' },
});
const example = join(import.meta.dirname, '..', '..', '..', 'examples', 'bot.mjs');
let bot: ChildProcess | undefined;

afterEach(() => {
  bot?.kill();
  bot = undefined;
});

/** Starts the example with the settings its doc gives, once it says it listens. */
async function startBot(env: Record<string, string>): Promise<void> {
  bot = spawn(process.execPath, [example], { env: { ...process.env, ...env } });
  const child = bot;
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listens on port')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`bot exited ${code}: ${output}`)));
  });
}

describe('the example bot (docs/bots.md)', () => {
  it('answers first, and hands the visitor over to a person who is online', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const olive = await createAgent(s, admin, { name: 'Olive Online' });
    await connectAgent(s, olive.token);

    const created = await api<CreateApiTokenReply>(s, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Acme bot', scope: 'full', bot: { name: 'Acme Bot' } },
    });
    const botUser = created.body.token.user;
    await api(s, 'PUT', '/api/bots/settings', {
      token: admin.token,
      body: { firstResponderId: botUser.id },
    });
    const port = await freePort();
    const hook = await api(s, 'POST', '/api/webhooks', {
      token: admin.token,
      body: {
        url: `http://127.0.0.1:${port}/parley-hooks`,
        events: ['message.created', 'conversation.assigned'],
      },
    });
    expect(hook.status).toBe(201);
    await startBot({
      PARLEY_URL: s.url,
      PARLEY_TOKEN: created.body.secret,
      PARLEY_WEBHOOK_SECRET: hook.body.secret,
      PORT: String(port),
    });

    const chat = await startVisitorChat(s, 'Hi! What are your opening hours?');
    const id = chat.started.conversation.id;
    const seen = collect<Message>(chat.socket, 'message.created');
    await waitFor(() => seen.some((m) => m.fromBot && m.content.startsWith('We are open')), 10_000);

    await chat.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: id,
      content: 'Thanks. Can I talk to a human about a refund?',
      clientId: newClientId(),
    });
    await waitFor(() => seen.some((m) => m.content === 'Olive Online joined the chat'), 10_000);
    const conversation = (await api(s, 'GET', `/api/conversations/${id}`, { token: admin.token }))
      .body.conversation as ConversationListItem;
    expect(conversation).toMatchObject({ status: 'open', assigneeId: olive.user.id });

    // Let any retried or repeated webhook arrive: the bot still said each thing once.
    await new Promise((r) => setTimeout(r, 500));
    const { messages } = (
      await api(s, 'GET', `/api/conversations/${id}/messages`, { token: admin.token })
    ).body as { messages: Message[] };
    const transcript = messages.map(
      (m) =>
        `${m.sender === 'system' ? '—' : `${m.senderName ?? 'Visitor'}${m.fromBot ? ' (bot)' : ''}:`} ${m.content}`,
    );
    console.log(`example bot transcript:\n${transcript.join('\n')}`);
    expect(transcript).toEqual([
      'Visitor: Hi! What are your opening hours?',
      '— Acme Bot joined the chat',
      'Acme Bot (bot): We are open 9:00 to 17:00, Monday to Friday.',
      'Visitor: Thanks. Can I talk to a human about a refund?',
      'Acme Bot (bot): Connecting you with a person now.',
      '— Acme Bot handed the chat over to the team',
      '— Olive Online joined the chat',
    ]);
  });
});
