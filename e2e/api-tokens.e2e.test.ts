import { randomUUID } from 'node:crypto';
import type { BotSettingsReply, ConversationReply, Message, UserListReply } from '@parley/protocol';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { addAgent, api, eventually, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { watchPageErrors } from './support/page-errors.js';
import { overflow } from './support/layout.js';

// Settings → API tokens, driven in the browser against the built server: an admin creates a
// token for a new bot and reads its secret once, an integration (this test, with fetch) answers
// a visitor as the bot, the dashboard marks the bot's message, the bot becomes the first
// responder, and the revoked secret is refused. On a desktop and on a phone, light and dark.

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();
/** The chat the bot answered in, looked at again on a phone. */
let botChatId = '';

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
});

afterAll(async () => {
  for (const visitor of visitors) visitor.close();
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

/** A visitor who has started a chat, and what reaches them. */
async function visitorWithChat(content: string) {
  const visitor = await VisitorSession.connect(server);
  visitors.push(visitor);
  const received: Message[] = [];
  visitor.socket.on('message.created', (m) => received.push(m));
  const conversationId = await visitor.startChat(content);
  return { conversationId, received };
}

/** What an integration does with the secret: answer in a conversation over REST. */
const sendAsToken = (secret: string, conversationId: string, content: string) =>
  fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId, content, clientId: randomUUID(), type: 'text' }),
  });

describe('Settings → API tokens', () => {
  it('creates a bot token, shows its secret once, marks the bot, and revokes it', async () => {
    const chat = await visitorWithChat('Hello, where is my parcel?');
    botChatId = chat.conversationId;
    const page = watched(
      await signInPage(
        browser,
        contexts,
        { url: server.url, email: admin.user.email, password: 'correct horse battery' },
        {
          viewport: { width: 1280, height: 900 },
          permissions: ['clipboard-read', 'clipboard-write'],
        },
      ),
    );
    await page.goto(`${server.url}/settings/api-tokens`);
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByText('API tokens')
      .waitFor();
    await page.getByText('No tokens yet.').waitFor();

    // A name the server refuses is said under the form, and the form stays.
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByLabel('Token name').fill('   ');
    await page.getByLabel("Bot's name").fill('Parcel Bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('alert').getByText('Name the token').waitFor();

    await page.getByLabel('Token name').fill('Order status');
    await page.getByRole('radio', { name: /Full access/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const panel = page.getByRole('region', { name: 'Token “Order status” created' });
    await panel.getByText("Copy it now: you won't see it again.").waitFor();
    const secret = (await panel.getByTestId('new-token-secret').textContent()) ?? '';
    expect(secret).toMatch(/^parley_/);
    await panel.getByRole('button', { name: 'Copy' }).click();
    await panel.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const row = page.getByTestId('api-token').filter({ hasText: 'Order status' });
    await row.getByText('Never').waitFor();
    expect(await row.innerText()).toMatch(/Full access[\s\S]*Acts as\s+Parcel Bot\s*Bot/);
    expect(await row.innerText()).toContain('by Ada Admin');
    expect(await row.innerText()).toContain(secret.slice(0, 13));
    expect(await axeViolations(page), 'the new secret').toEqual([]);
    await screenshot(page, 'api-tokens-created-1280');

    // Once: after Done, and after a reload, the secret is nowhere on the page.
    await panel.getByRole('button', { name: 'Done' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    // The integration answers as the bot; the visitor and the dashboard see a bot's message.
    const sent = await sendAsToken(secret, chat.conversationId, 'Hi! Your parcel left today.');
    expect(sent.status).toBe(201);
    const seen = await eventually(
      () => chat.received.find((m) => m.content === 'Hi! Your parcel left today.'),
      "the bot's message to reach the visitor",
    );
    expect(seen).toMatchObject({ sender: 'agent', senderName: 'Parcel Bot', fromBot: true });

    await page.goto(`${server.url}/conversations/${chat.conversationId}`);
    const botMessage = page
      .getByTestId('message')
      .filter({ hasText: 'Hi! Your parcel left today.' });
    await botMessage.getByTestId('bot-badge').waitFor();
    expect(await botMessage.innerText()).toMatch(/Parcel Bot\s*Bot\s*·/);
    // The visitor's own message carries no badge.
    const visitorMessage = page
      .getByTestId('message')
      .filter({ hasText: 'Hello, where is my parcel?' });
    expect(await visitorMessage.getByTestId('bot-badge').count()).toBe(0);
    // Transfer names the bot as a bot rather than by a status.
    const targets = await page.getByLabel('Transfer to').locator('option').allTextContents();
    expect(targets).toContain('Parcel Bot (bot)');
    expect(await axeViolations(page), 'conversation with a bot').toEqual([]);
    await screenshot(page, 'api-tokens-conversation-1280');

    // The bot answers new chats first: a chat started now is given to it.
    await page.goto(`${server.url}/settings/api-tokens`);
    const firstResponder = page.getByLabel('Answers new chats first');
    expect(await firstResponder.inputValue()).toBe('');
    await firstResponder.selectOption({ label: 'Parcel Bot' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Bot settings saved').waitFor();
    const { items: users } = await api<UserListReply>(server, 'GET', '/api/users', {
      token: admin.token,
    });
    const bot = users.find((u) => u.name === 'Parcel Bot');
    expect(bot?.kind).toBe('bot');
    const saved = await api<BotSettingsReply>(server, 'GET', '/api/bots/settings', {
      token: admin.token,
    });
    expect(saved.settings.firstResponderId).toBe(bot?.id);
    const next = await visitorWithChat('Is anyone there?');
    const assigned = await eventually(async () => {
      const reply = await api<ConversationReply>(
        server,
        'GET',
        `/api/conversations/${next.conversationId}`,
        { token: admin.token },
      );
      return reply.conversation.assigneeId ?? undefined;
    }, 'the new chat to be given to the bot');
    expect(assigned).toBe(bot?.id);

    // The token was used: "Last used" says so.
    await expect
      .poll(
        async () => {
          await page.reload();
          return row.innerText();
        },
        { timeout: 15_000 },
      )
      .toMatch(/Last used\s+(just now|\d+ minutes? ago)/);
    expect(await firstResponder.inputValue()).toBe(bot?.id);
    expect(await axeViolations(page), 'tokens and bots').toEqual([]);
    await screenshot(page, 'api-tokens-1280');

    // Revoked: the row says so, and the secret is refused from now on.
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke Order status' }).click();
    await row.getByRole('term').filter({ hasText: 'Revoked' }).waitFor();
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    const refused = await sendAsToken(secret, chat.conversationId, 'Still here?');
    expect(refused.status).toBe(401);
    // The bot still answers first, with no token to answer with: the page says so.
    await page.getByText('Parcel Bot has no token left to answer with').waitFor();
    await screenshot(page, 'api-tokens-revoked-1280');

    // Settings → Team: the bot is a member, marked, with no person's controls.
    await page.goto(`${server.url}/settings/team`);
    const member = page.getByRole('row').filter({ hasText: 'Parcel Bot' });
    await member.getByTestId('bot-badge').waitFor();
    expect(await member.innerText()).toContain('Acts through API tokens');
    expect(await page.getByLabel('Role of Parcel Bot').count()).toBe(0);
    expect(await page.getByLabel('Chats at once for Parcel Bot').count()).toBe(0);
    expect(await axeViolations(page), 'team with a bot').toEqual([]);
    await screenshot(page, 'api-tokens-team-1280');
  });

  it('creates a token limited to chosen areas, and the API holds it to them', async () => {
    const page = watched(
      await signInPage(
        browser,
        contexts,
        { url: server.url, email: admin.user.email, password: 'correct horse battery' },
        { viewport: { width: 1280, height: 900 } },
      ),
    );
    await page.goto(`${server.url}/settings/api-tokens`);
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByLabel('Token name').fill('Weekly report');
    await page.getByLabel("Bot's name").fill('Report Bot');
    await page.getByRole('radio', { name: /Chosen areas/ }).check();
    await page.getByLabel('Conversations: access').selectOption('read');
    await page.getByLabel('Contacts: access').selectOption('write');
    expect(await axeViolations(page), 'the areas of a new token').toEqual([]);
    await screenshot(page, 'api-tokens-areas-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByTestId('token-areas').scrollIntoViewIfNeeded();
    await screenshot(page, 'api-tokens-areas-375');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Create token' }).click();
    const panel = page.getByRole('region', { name: 'Token “Weekly report” created' });
    const secret = (await panel.getByTestId('new-token-secret').textContent()) ?? '';

    const row = page.getByTestId('api-token').filter({ hasText: 'Weekly report' });
    expect(await row.getByTestId('token-scopes').innerText()).toBe(
      'Conversations: read · Contacts: read and write',
    );
    expect(await row.innerText()).toContain('Chosen areas');
    await screenshot(page, 'api-tokens-scoped-1280');

    const asToken = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await asToken('/api/conversations')).status).toBe(200);
    expect((await asToken('/api/contacts')).status).toBe(200);
    const settings = await asToken('/api/settings/widget');
    expect(settings.status).toBe(403);
    expect(((await settings.json()) as { error: { message: string } }).error.message).toBe(
      "This API token's scopes do not include settings:read",
    );
  });

  it('revoking a token ends that token only: two tabs of its admin stay signed in and live', async () => {
    const first = watched(
      await signInPage(
        browser,
        contexts,
        { url: server.url, email: admin.user.email, password: 'correct horse battery' },
        { viewport: { width: 1280, height: 900 } },
      ),
    );
    const second = watched(await first.context().newPage());
    await second.goto(`${server.url}/conversations`);
    await second.getByRole('tab', { name: 'Mine' }).waitFor();
    await api(server, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Two tabs sync', scope: 'full' },
    });

    await first.goto(`${server.url}/settings/api-tokens`);
    const row = first.getByTestId('api-token').filter({ hasText: 'Two tabs sync' });
    first.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke Two tabs sync' }).click();
    await row.getByRole('term').filter({ hasText: 'Revoked' }).waitFor();

    // Both tabs are still signed in and still hear what happens, with no banner.
    const chat = await visitorWithChat('Are both tabs still there?');
    for (const page of [first, second]) {
      await page.goto(`${server.url}/conversations/${chat.conversationId}`);
      await page.getByTestId('message').getByText('Are both tabs still there?').waitFor();
    }
    const sent = await visitors.at(-1)!.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: chat.conversationId,
      content: 'One more line',
      clientId: randomUUID(),
    });
    expect(sent.ok).toBe(true);
    for (const page of [first, second]) {
      await page.getByTestId('message').getByText('One more line').waitFor();
      expect(await page.getByText('Connection lost').count()).toBe(0);
    }

    // Both tabs load at the same moment, each refreshing the one cookie they share: they take
    // turns, and neither lands on the sign-in page.
    await Promise.all([first.reload(), second.reload()]);
    for (const page of [first, second]) {
      await page.getByTestId('message').getByText('One more line').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/conversations/${chat.conversationId}`);
    }
  });

  it('says why the tokens of a deactivated admin stopped, and they work again on reactivation', async () => {
    const email = `second-${randomUUID()}@example.com`;
    const { user: second } = await addAgent(server, admin.token, {
      name: 'Sam Second',
      email,
      password: 'second admin password',
      role: 'admin',
    });
    const signedIn = await api<{ accessToken: string }>(server, 'POST', '/api/auth/login', {
      body: { email, password: 'second admin password' },
    });
    const { secret } = await api<{ secret: string }>(server, 'POST', '/api/tokens', {
      token: signedIn.accessToken,
      body: { name: 'Sam’s helpdesk bot', scope: 'full', bot: { name: 'Desk Bot' } },
    });
    const chat = await visitorWithChat('Is the desk bot there?');
    await api(server, 'PATCH', `/api/users/${second.id}`, {
      token: admin.token,
      body: { active: false },
    });
    expect((await sendAsToken(secret, chat.conversationId, 'Bot here')).status).toBe(401);

    const page = watched(
      await signInPage(
        browser,
        contexts,
        { url: server.url, email: admin.user.email, password: 'correct horse battery' },
        { viewport: { width: 1280, height: 900 } },
      ),
    );
    await page.goto(`${server.url}/settings/api-tokens`);
    const row = page.getByTestId('api-token').filter({ hasText: 'Sam’s helpdesk bot' });
    await row.getByTestId('token-stopped').waitFor();
    expect(await row.getByTestId('token-stopped').innerText()).toBe(
      'Sam Second, who made it, is deactivated: it works again if they are reactivated',
    );
    expect(await axeViolations(page), 'a stopped token').toEqual([]);
    await screenshot(page, 'api-tokens-stopped-1280');

    await api(server, 'PATCH', `/api/users/${second.id}`, {
      token: admin.token,
      body: { active: true },
    });
    await page.reload();
    await row.waitFor();
    expect(await row.getByTestId('token-stopped').count()).toBe(0);
    expect((await sendAsToken(secret, chat.conversationId, 'Bot here')).status).toBe(201);
  });

  it('fits a phone, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = watched(
        await signInPage(
          browser,
          contexts,
          { url: server.url, email: admin.user.email, password: 'correct horse battery' },
          { viewport: { width: 375, height: 812 }, colorScheme: scheme },
        ),
      );
      await page.goto(`${server.url}/settings/api-tokens`);
      await page.getByTestId('api-token').first().waitFor();
      // The form open too, with a secret shown, as an admin sees it just after creating one.
      await page.getByRole('button', { name: 'New token' }).click();
      await page.getByLabel('Token name').fill(`Phone ${scheme}`);
      await page.getByRole('radio', { name: /Read only/ }).check();
      await page.getByRole('radio', { name: /Me \(Ada Admin\)/ }).check();
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByTestId('new-token-secret').waitFor();
      const row = page.getByTestId('api-token').filter({ hasText: `Phone ${scheme}` });
      await row.waitFor();
      expect(await row.innerText()).toMatch(/Read only[\s\S]*Acts as\s+Ada Admin/);
      expect(await row.getByTestId('bot-badge').count()).toBe(0);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `tokens 375 ${scheme}`).toEqual([]);
      await screenshot(page, `api-tokens-375-${scheme}`);
      await page.getByRole('heading', { name: 'Bots' }).scrollIntoViewIfNeeded();
      await screenshot(page, `api-tokens-bots-375-${scheme}`);

      await page.goto(`${server.url}/conversations/${botChatId}`);
      await page.getByTestId('bot-badge').first().waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // On a phone the open chat hides the list, and with it the page's one h1 (as before bots).
      const violations = (await axeViolations(page)).filter(
        (v) => v.rule !== 'page-has-heading-one',
      );
      expect(violations, `conversation 375 ${scheme}`).toEqual([]);
      await screenshot(page, `api-tokens-conversation-375-${scheme}`);
    }
  });
});
