import type { ConversationListReply, CreateApiTokenReply } from '@parley/protocol';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { cutOff } from './support/layout.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { addAgent, api, eventually, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { shopPage, startStaticSite, type StaticSite } from './support/static-site.js';

// Issue 32, items 11, 12 and 19: every page of the dashboard, and the widget, on a phone
// (375 px), checked by axe-core; tables laid out as cards, each action on screen without
// scrolling inside a card; the open chat titled; the bot badge readable, light and dark.
const PHONE = { width: 375, height: 812 };
const password = 'correct horse battery';

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let conversationId: string;
let botSecret: string;
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  site = await startStaticSite({ '/': shopPage(server.url) });
});

afterAll(async () => {
  for (const visitor of visitors) visitor.close();
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

async function newPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, colorScheme });
  contexts.push(context);
  return context.newPage();
}

const signIn = (colorScheme: 'light' | 'dark' = 'light') =>
  signInPage(
    browser,
    contexts,
    { url: server.url, email: admin.user.email, password },
    { viewport: PHONE, colorScheme },
  );

const settle = (page: Page) => page.waitForTimeout(300);

describe('the dashboard at 375 px', () => {
  it('set-up, sign-in, forgotten password and a dead reset link pass axe', async () => {
    const page = await newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Welcome to Parley' }).waitFor();
    expect(await axeViolations(page), 'setup').toEqual([]);

    // The team, a bot among them, and a visitor in a chat the admin and the bot answered.
    admin = await registerAdmin(server, 'Ada Admin-Lovelace');
    await addAgent(server, admin.token, {
      name: 'Bartholomew Agent',
      email: 'bartholomew.agent@example.com',
      password: 'bob password 123',
      role: 'agent',
      capacity: 5,
    });
    const { secret } = await api<CreateApiTokenReply>(server, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Order lookups', scope: 'full', bot: { name: 'Helper Bot' } },
    });
    botSecret = secret;
    const nora = await VisitorSession.connect(server);
    visitors.push(nora);
    await nora.setDetails({ name: 'Nora Visitor', email: 'nora.long.address@shop.example' });
    await nora.pageView(
      'https://shop.example.com/catalogue/outdoor/tents/ultralight-two-person-tent-with-vestibule',
      'Ultralight two-person tent with vestibule',
    );
    conversationId = await nora.startChat('My tent arrived without its poles.');
    for (const [token, content] of [
      [admin.token, 'So sorry! The poles go out today.'],
      [secret, 'Order INV-48213: shipped on Monday.'],
    ] as const) {
      await api(server, 'POST', '/api/messages', {
        token,
        body: { conversationId, content, clientId: randomUUID() },
      });
    }
    const browsing = await VisitorSession.connect(server);
    visitors.push(browsing);
    await browsing.pageView('https://shop.example.com/stoves', 'Stoves');

    await page.goto(`${server.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await axeViolations(page), 'login').toEqual([]);
    await page.goto(`${server.url}/forgot-password`);
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    expect(await axeViolations(page), 'forgot password').toEqual([]);
    await page.goto(`${server.url}/reset-password#token=not-a-link-anyone-was-sent`);
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    expect(await axeViolations(page), 'dead reset link').toEqual([]);
    expect(await cutOff(page)).toEqual([]);
  });

  it('the conversation list, the open chat (titled), the visitor and a search pass axe', async () => {
    const page = await signIn();
    await page.getByRole('tab', { name: 'All' }).click();
    await page.getByRole('button', { name: /Nora Visitor/ }).waitFor();
    await settle(page);
    expect(await axeViolations(page), 'list').toEqual([]);

    await page.getByRole('button', { name: /Nora Visitor/ }).click();
    await page.getByTestId('message').getByText('Order INV-48213: shipped on Monday.').waitFor();
    await page.getByTestId('bot-badge').waitFor();
    await settle(page);
    await screenshot(page, 'ui-phone-chat');
    // The list is hidden on a phone while a chat is open; the page keeps its title.
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await axeViolations(page), 'open chat').toEqual([]);
    expect(await cutOff(page)).toEqual([]);

    await page.getByRole('button', { name: 'Visitor details' }).click();
    await page.getByRole('complementary', { name: 'Visitor' }).waitFor();
    await settle(page);
    expect(await axeViolations(page), 'visitor panel').toEqual([]);
    await page.getByRole('button', { name: 'Close visitor details' }).click();

    await page.getByRole('link', { name: 'Back to conversations' }).click();
    await page.getByLabel('Search messages, names and emails').fill('nora.long');
    await page.getByTestId('search-hit').first().waitFor();
    await settle(page);
    expect(await axeViolations(page), 'search').toEqual([]);
    expect(await cutOff(page)).toEqual([]);
  });

  it('shows visitors as cards, each "Start chat" on screen', async () => {
    const page = await signIn();
    await page.goto(`${server.url}/visitors`);
    const start = page.getByRole('button', { name: /^Start chat with / });
    await eventually(async () => (await start.count()) === 2, 'both visitors');
    await settle(page);
    await screenshot(page, 'ui-phone-visitors');
    expect(await cutOff(page)).toEqual([]);
    for (const button of await start.all()) expect(await button.isVisible()).toBe(true);
    expect(await axeViolations(page), 'visitors').toEqual([]);
  });

  it('shows the team as cards, each "Deactivate" on screen', async () => {
    const page = await signIn();
    await page.goto(`${server.url}/settings/team`);
    const deactivate = page.getByRole('button', { name: 'Deactivate' });
    await eventually(async () => (await deactivate.count()) === 2, 'Bartholomew and the bot');
    await page.getByTestId('bot-badge').waitFor();
    await settle(page);
    await screenshot(page, 'ui-phone-team');
    expect(await cutOff(page)).toEqual([]);
    expect(await axeViolations(page), 'team').toEqual([]);
  });

  it('shows the agents in Analytics as cards, with nothing to scroll that a keyboard cannot', async () => {
    const page = await signIn();
    await page.goto(`${server.url}/analytics`);
    const agents = page.locator('section', {
      has: page.getByRole('heading', { name: 'Agents', exact: true }),
    });
    await agents.getByText('Ada Admin-Lovelace').waitFor();
    await settle(page);
    await agents.scrollIntoViewIfNeeded();
    await screenshot(page, 'ui-phone-analytics');
    // axe's scrollable-region-focusable: no box scrolls that a keyboard cannot reach.
    expect(await axeViolations(page), 'analytics').toEqual([]);
    expect(await cutOff(page)).toEqual([]);
    // Every figure of the row is on screen, beside its name.
    for (const figure of ['Conversations', 'Closed', 'Messages', 'First response', 'Good / bad']) {
      const label = agents.getByText(figure, { exact: false }).last();
      const box = await label.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= PHONE.width, figure).toBe(true);
    }
  });

  it('every settings page passes axe, with nothing cut off', async () => {
    const page = await signIn();
    for (const [section, ready] of [
      ['profile', 'Password'],
      ['canned', 'New canned response'],
      ['widget', 'Preview'],
      ['identity', 'Identity verification'],
      ['email', 'Emails that could not be sent'],
      ['files', 'Files'],
      ['webhooks', 'Webhooks'],
      ['api-tokens', 'API tokens'],
    ] as const) {
      await page.goto(`${server.url}/settings/${section}`);
      await page.getByRole('heading', { name: ready, exact: true }).waitFor();
      await settle(page);
      expect(await axeViolations(page), section).toEqual([]);
      expect(await cutOff(page), section).toEqual([]);
    }
    // The forms that open in place.
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('heading', { name: 'New token' }).waitFor();
    expect(await axeViolations(page), 'new token').toEqual([]);
    expect(await cutOff(page), 'new token').toEqual([]);
    await page.goto(`${server.url}/settings/webhooks`);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('heading', { name: 'New endpoint' }).waitFor();
    expect(await axeViolations(page), 'new endpoint').toEqual([]);
    expect(await cutOff(page), 'new endpoint').toEqual([]);
  });
});

describe('dark, at 375 px', () => {
  it('the chat with a bot’s message, and the team, pass axe (the badge readable)', async () => {
    const page = await signIn('dark');
    await page.goto(`${server.url}/conversations/${conversationId}`);
    await page.getByTestId('bot-badge').waitFor();
    await settle(page);
    await screenshot(page, 'ui-phone-chat-dark');
    expect(await axeViolations(page), 'dark chat').toEqual([]);
    await page.goto(`${server.url}/settings/team`);
    await page.getByTestId('bot-badge').waitFor();
    await settle(page);
    await screenshot(page, 'ui-phone-team-dark');
    expect(await axeViolations(page), 'dark team').toEqual([]);
  });
});

describe.each(['light', 'dark'] as const)('the widget at 375 px, %s', (scheme) => {
  it('closed, pre-chat and in a chat with a bot (its badge readable), passes axe', async () => {
    // An agent is online (signed in above): the pre-chat form, not the offline one.
    const desk = await signIn();
    await desk.getByRole('tab', { name: 'All' }).waitFor();
    const page = await newPage(scheme);
    await page.goto(site.origin);
    await page.locator('[data-parley-widget] button.l').waitFor();
    expect(await axeViolations(page, '[data-parley-widget]'), 'closed').toEqual([]);
    await page.locator('[data-parley-widget] button.l').click();
    const chat = page.frameLocator('[data-parley-widget] iframe');
    await chat.getByRole('button', { name: 'Start chat' }).waitFor();
    const frame = () => {
      const found = page.frames().find((f) => f.url().includes('/widget'));
      if (!found) throw new Error('widget frame missing');
      return found;
    };
    expect(await axeViolations(frame()), 'pre-chat').toEqual([]);
    await chat.getByLabel('Name (optional)').fill(`Pia ${scheme}`);
    await chat.getByRole('button', { name: 'Start chat' }).click();
    const box = chat.getByRole('textbox', { name: 'Message' });
    await box.fill(`Do the stoves come with gas? (${scheme})`);
    await box.press('Enter');
    await chat.locator('.msg.mine', { hasText: `come with gas? (${scheme})` }).waitFor();
    // The widget shows the message as it sends it: the list finds it once it is stored.
    let items: ConversationListReply['items'] = [];
    await expect
      .poll(async () => {
        ({ items } = await api<ConversationListReply>(
          server,
          'GET',
          `/api/conversations?q=${scheme}`,
          { token: admin.token },
        ));
        return items.length;
      })
      .toBeGreaterThan(0);
    await api(server, 'POST', '/api/messages', {
      token: botSecret,
      body: {
        conversationId: items[0]?.id,
        content: 'Gas is sold apart.',
        clientId: randomUUID(),
      },
    });
    await chat.locator('.bot').waitFor();
    await settle(page);
    await screenshot(page, `ui-phone-widget-chat-${scheme}`);
    expect(await axeViolations(frame()), 'chat').toEqual([]);
  });
});
