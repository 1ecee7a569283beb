import type { MessageListReply } from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import {
  AgentSession,
  api,
  eventually,
  patchWidgetSettings,
  registerAdmin,
} from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { asyncSnippet, startStaticSite, type StaticSite } from './support/static-site.js';

// Issue 36, item 7: an agent bans a chatting visitor from the dashboard; the visitor's widget
// says they cannot send, before and after a reload; the ban is lifted in Settings → Bans and
// the chat comes back. The shop is on another origin; the visitor is on a phone (375 px).

const BANNED = "You can't send messages in this chat.";

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: { token: string; user: { name: string; email: string } };
let agent: AgentSession;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Alice Admin');
  await patchWidgetSettings(server, admin.token, {
    preChat: { name: 'off', email: 'off', message: 'off' },
  });
  agent = await AgentSession.connect(server, admin.token);
  site = await startStaticSite({
    '/': `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Outdoor</title></head>
<body><main><h1>Acme Outdoor</h1><p>Tents, stoves and everything for the trail.</p></main>
${asyncSnippet(server.url, [`LiveChatWidget.init({ apiUrl: '${server.url}' });`])}</body></html>`,
  });
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const launcher = (p: Page) => p.locator('[data-parley-widget] button.l');
const chatOf = (p: Page) => p.frameLocator('[data-parley-widget] iframe');
const composerOf = (p: Page) => chatOf(p).getByLabel('Message', { exact: true });

describe('banning a visitor', () => {
  it('an agent bans a chatting visitor; their widget says they cannot send, after a reload too; lifting lets them back', async () => {
    // The visitor, on a phone, asks something.
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    contexts.push(context);
    const visitor = await context.newPage();
    const errors: string[] = [];
    visitor.on('pageerror', (e) => errors.push(e.message));
    await visitor.goto(site.origin);
    await launcher(visitor).click();
    await composerOf(visitor).fill('Cheap pills at pills.example, click now');
    await composerOf(visitor).press('Enter');
    const asked = await eventually(
      () => agent.messages.find((m) => m.content.startsWith('Cheap pills')),
      'the message at the agent',
    );

    // The agent bans them from the conversation's visitor details.
    const desk = await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: { width: 1440, height: 900 } },
    );
    await desk.goto(`${server.url}/conversations/${asked.conversationId}`);
    const panel = desk.getByRole('complementary', { name: 'Visitor' });
    await panel.getByRole('button', { name: 'Ban visitor…' }).click();
    const dialog = desk.getByRole('dialog', { name: /^Ban / });
    await dialog.getByLabel('Reason').fill('Spam');
    await dialog.getByLabel('For').selectOption({ label: '30 days' });
    await screenshot(desk, 'bans-dialog');
    await dialog.getByRole('button', { name: 'Ban visitor' }).click();
    await panel.getByText('Banned: they can send nothing more.').waitFor();
    await screenshot(desk, 'bans-visitor-panel');

    // The visitor's widget says so at once, in place of the composer.
    await chatOf(visitor).getByText(BANNED).waitFor();
    expect(await composerOf(visitor).count()).toBe(0);
    await chatOf(visitor).getByText('Cheap pills at pills.example').waitFor();
    await screenshot(visitor, 'bans-widget-375');

    // A reload (the same browser, the same stored token; the chat stays open in this tab)
    // still says so, at 375 px and wide.
    await visitor.reload();
    await chatOf(visitor).getByText(BANNED).waitFor();
    expect(await composerOf(visitor).count()).toBe(0);
    await screenshot(visitor, 'bans-widget-reloaded-375');
    await visitor.setViewportSize({ width: 1280, height: 800 });
    await chatOf(visitor).getByText(BANNED).waitFor();
    await screenshot(visitor, 'bans-widget-reloaded-desktop');
    const { messages } = await api<MessageListReply>(
      server,
      'GET',
      `/api/conversations/${asked.conversationId}/messages`,
      { token: admin.token },
    );
    expect(messages.filter((m) => m.sender === 'visitor').map((m) => m.content)).toEqual([
      'Cheap pills at pills.example, click now',
    ]);

    // Settings → Bans, on a phone: the ban with its reason; "Lift" ends it.
    await desk.setViewportSize({ width: 375, height: 740 });
    await desk.goto(`${server.url}/settings/bans`);
    const list = desk.getByRole('list', { name: 'Bans in force' });
    await list.getByText('“Spam”').waitFor();
    await list.getByText(/By Alice Admin, .* · until /).waitFor();
    const overflow = await desk.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(desk, 'bans-settings-375');
    await desk.setViewportSize({ width: 1440, height: 900 });
    await screenshot(desk, 'bans-settings-desktop');
    await list.getByRole('button', { name: /^Lift the ban of visitor / }).click();
    await desk.getByText('Nobody is banned.').waitFor();

    // Lifted: on the next page the visitor chats again.
    await visitor.reload();
    await composerOf(visitor).waitFor();
    expect(await chatOf(visitor).getByText(BANNED).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
