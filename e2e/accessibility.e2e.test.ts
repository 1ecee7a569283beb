import { randomUUID } from 'node:crypto';
import type { AuthReply } from '@parley/protocol';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { api, eventually, patchWidgetSettings } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { shopPage, startStaticSite, type StaticSite } from './support/static-site.js';

// axe-core on every page of the dashboard and every state of the widget: no violations. And the
// desk by keyboard alone: the shortcuts, with their help on `?`.
const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery' };

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let desk: Page;
let token: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  site = await startStaticSite({
    '/': shopPage(server.url),
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  return context.newPage();
}

/** A visitor on the site with the chat open; the widget's own document to check. */
async function openWidget(): Promise<{ page: Page; chat: FrameLocator; frame: Frame }> {
  const page = await newPage();
  await page.goto(site.origin);
  await page.locator('[data-parley-widget] button.l').waitFor();
  expect(await axeViolations(page, '[data-parley-widget]'), 'closed').toEqual([]);
  await page.locator('[data-parley-widget] button.l').click();
  const chat = page.frameLocator('[data-parley-widget] iframe');
  await chat.locator('.app').waitFor();
  const frame = page.frames().find((f) => f.url().includes('/widget'));
  if (!frame) throw new Error('widget frame missing');
  return { page, chat, frame };
}

describe('accessibility, measured by axe-core', () => {
  it('set-up, conversations and sign-in pages', async () => {
    desk = await newPage();
    await desk.goto(server.url);
    await desk.getByRole('heading', { name: 'Welcome to Parley' }).waitFor();
    expect(await axeViolations(desk), 'setup').toEqual([]);
    await desk.getByLabel('Your name').fill(admin.name);
    await desk.getByLabel('Email').fill(admin.email);
    await desk.getByLabel('Password').fill(admin.password);
    await desk.getByRole('button', { name: 'Create admin account' }).click();
    await desk.getByRole('tab', { name: 'Mine' }).waitFor();
    await desk.getByText('No conversations here.').waitFor();
    expect(await axeViolations(desk), 'conversations').toEqual([]);

    await desk.getByRole('button', { name: 'Sign out' }).click();
    await desk.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await axeViolations(desk), 'login').toEqual([]);
  });

  it('the widget closed and offline, with no agent online', async () => {
    token = (
      await api<AuthReply>(server, 'POST', '/api/auth/login', {
        body: { email: admin.email, password: admin.password },
      })
    ).accessToken;
    const { chat, frame } = await openWidget();
    await chat.getByRole('button', { name: 'Leave a message' }).waitFor();
    expect(await axeViolations(frame), 'offline').toEqual([]);
    await chat.getByLabel('Email').fill('nora@example.com');
    await chat.getByLabel('Message', { exact: true }).fill('Please call me back.');
    await chat.getByRole('button', { name: 'Leave a message' }).click();
    await chat.getByText('will answer here when').waitFor();
  });

  it('the widget pre-chat and chat, and the dashboard chat page, with the agent online', async () => {
    await patchWidgetSettings(server, token, {
      preChat: { name: 'required', email: 'optional', message: 'off' },
    });
    await desk.getByLabel('Email').fill(admin.email);
    await desk.getByLabel('Password').fill(admin.password);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('tab', { name: 'All' }).click();
    await eventually(
      () =>
        api<{ config: { agentsOnline: boolean } }>(
          server,
          'GET',
          '/api/settings/widget/public',
        ).then((r) => r.config.agentsOnline),
      'the agent online',
    );

    const { chat, frame } = await openWidget();
    await chat.getByRole('button', { name: 'Start chat' }).waitFor();
    expect(await axeViolations(frame), 'pre-chat').toEqual([]);
    await chat.getByLabel('Name').fill('Nils');
    await chat.getByRole('button', { name: 'Start chat' }).click();
    const box = chat.getByRole('textbox', { name: 'Message' });
    await box.fill('Do you ship to Norway?');
    await box.press('Enter');
    await chat.locator('.msg.mine', { hasText: 'Do you ship to Norway?' }).waitFor();

    await desk.getByRole('button', { name: /^N Nils/ }).click();
    await desk.getByLabel('Reply to the visitor').fill('We do, in 3 days.');
    await desk.getByLabel('Reply to the visitor').press('Enter');
    await chat.getByText('We do, in 3 days.').waitFor();
    // Enough lines that both message panes scroll.
    const conversationId = new URL(desk.url()).pathname.split('/').pop();
    for (let n = 1; n <= 14; n++) {
      await api(server, 'POST', '/api/messages', {
        token,
        body: { conversationId, content: `Detail ${n} of the delivery`, clientId: randomUUID() },
      });
    }
    await api(server, 'POST', '/api/messages', {
      token,
      body: { conversationId, content: 'Anything else?', clientId: randomUUID() },
    });
    await chat.getByText('Anything else?').waitFor();
    await desk.getByTestId('message').getByText('Anything else?').waitFor();
    expect(await axeViolations(frame), 'chat').toEqual([]);
    expect(await axeViolations(desk), 'dashboard chat').toEqual([]);
    // The canned responses picker, open under the composer.
    await api(server, 'POST', '/api/canned-responses', {
      token,
      body: { title: 'Shipping', shortcut: 'ship', content: 'We ship worldwide.' },
    });
    await desk.reload();
    await desk.getByLabel('Reply to the visitor').fill('#sh');
    await desk.getByRole('listbox', { name: 'Canned responses' }).waitFor();
    expect(await axeViolations(desk), 'canned picker').toEqual([]);
    await desk.getByLabel('Reply to the visitor').fill('');

    // Closed by the agent: the widget asks for a rating, the last messages in view above it.
    await desk.getByRole('button', { name: 'Close', exact: true }).click();
    await chat.getByText('This chat has ended. How was it?').waitFor();
    expect(await axeViolations(frame), 'rating').toEqual([]);
    await chat.getByRole('radio', { name: 'Good' }).click();
    await chat.getByLabel('Comment (optional)').waitFor();
    expect(await axeViolations(frame), 'rating with comment').toEqual([]);
    const log = await chat.getByRole('log', { name: 'Messages' }).boundingBox();
    const last = await chat.getByText('Anything else?').boundingBox();
    expect((last?.y ?? 0) + (last?.height ?? 0)).toBeLessThanOrEqual(
      (log?.y ?? 0) + (log?.height ?? 0) + 1,
    );
    // The agents read the rating and its comment in the chat (and in Analytics, checked below).
    await chat.getByLabel('Comment (optional)').fill('Quick and kind');
    await chat.getByRole('button', { name: 'Send rating' }).click();
    await chat.getByText('Thanks for your feedback!').waitFor();
    await desk
      .getByTestId('visitor-rating')
      .getByText('The visitor rated this chat good: “Quick and kind”')
      .waitFor();
    expect(await axeViolations(desk), 'dashboard chat, rated').toEqual([]);
  });

  it('visitors, analytics and every settings page, with the menu and dialog open', async () => {
    for (const [path, ready] of [
      ['/visitors', 'Visitors online'],
      ['/analytics', 'Analytics'],
      ['/settings/profile', 'Profile'],
      ['/settings/team', 'Team'],
      ['/settings/canned', 'Canned responses'],
      ['/settings/widget', 'Widget'],
      ['/settings/email', 'Emails that could not be sent'],
    ] as const) {
      await desk.goto(`${server.url}${path}`);
      await desk.getByRole('heading', { name: ready }).first().waitFor();
      if (path === '/analytics') await desk.getByText('Quick and kind').waitFor();
      // No SMTP_URL here: the page says email is off, and how to turn it on.
      if (path === '/settings/email') {
        await desk.getByText('Email is off.').waitFor();
        await screenshot(desk, 'settings-email-off');
      }
      await desk.waitForTimeout(300);
      expect(await axeViolations(desk), path).toEqual([]);
    }
    await desk.getByRole('button', { name: 'Preferences' }).click();
    expect(await axeViolations(desk), 'preferences menu').toEqual([]);
    await desk.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await desk.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await axeViolations(desk), 'shortcut help').toEqual([]);
    await desk.keyboard.press('Escape');
  });
});

describe('the desk by keyboard', () => {
  it('? shows the shortcuts; r, n, a, c, u and / act, but not while typing', async () => {
    await desk.goto(`${server.url}/conversations`);
    await desk.getByRole('tab', { name: 'All' }).click();
    await desk.getByRole('button', { name: /^N Nils/ }).click();
    await desk.getByRole('button', { name: 'Reopen' }).click();
    // Open once the server says so: until then the chat is closed, and its shortcuts are off.
    await desk.getByRole('button', { name: 'Close', exact: true }).waitFor();
    const reply = desk.getByLabel('Reply to the visitor');
    await reply.waitFor();
    await desk.keyboard.press('Escape'); // leaves the composer, which takes focus on opening

    await desk.keyboard.press('?');
    const help = desk.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.getByText('Go to the next unread chat').isVisible()).toBe(true);
    await desk.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await desk.keyboard.press('n');
    await desk.getByLabel('Internal note (only agents see it)').waitFor();
    expect(await desk.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    // Typing letters in a field types them: no shortcut fires.
    await desk.keyboard.type('a c u r');
    expect(await desk.getByLabel('Internal note (only agents see it)').inputValue()).toBe(
      'a c u r',
    );
    await desk.getByLabel('Internal note (only agents see it)').fill('');
    await desk.keyboard.press('Escape');
    await desk.keyboard.press('r');
    await reply.waitFor();
    expect(await desk.evaluate(() => document.activeElement?.ariaLabel)).toBe(
      'Reply to the visitor',
    );
    await desk.keyboard.press('Escape');

    const assigned = desk.getByText('with you');
    if (!(await assigned.isVisible())) {
      await desk.keyboard.press('a');
      await assigned.waitFor();
    }
    await desk.keyboard.press('c');
    await desk.getByRole('button', { name: 'Reopen' }).waitFor();

    // u: the offline visitor's message is unread.
    await desk.keyboard.press('u');
    await desk.getByTestId('message').getByText('Please call me back.').waitFor();
    await desk.keyboard.press('Escape');
    await desk.keyboard.press('/');
    expect(await desk.evaluate(() => document.activeElement?.ariaLabel)).toBe(
      'Search messages, names and emails',
    );
  });
});
