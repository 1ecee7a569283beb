import type { AuthReply, UserListReply } from '@parley/protocol';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
import { api, patchWidgetSettings } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { startStaticSite, type StaticSite } from './support/static-site.js';

// One desk, one story: the admin sets Parley up, adds an agent, a visitor writes from the real
// widget on another origin, the chat is answered, handed over, closed and counted.
const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery' };
const agent = { name: 'Bob Agent', email: 'bob@example.com', password: 'bob password 123' };

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
const contexts: BrowserContext[] = [];
const consoleErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

/** Both widths the issue names; the page is left at 1280 px. */
async function shoot(page: Page, name: string) {
  await page.waitForTimeout(300); // let charts and fonts settle
  await screenshot(page, `dashboard-${name}-1280`);
  await page.setViewportSize({ width: 768, height: 860 });
  await page.waitForTimeout(300);
  await screenshot(page, `dashboard-${name}-768`);
  await page.setViewportSize({ width: 1280, height: 860 });
}

const hostPage = (parley: string) => `<!doctype html><html><head><title>Shoe shop</title></head>
<body style="font-family:sans-serif"><h1>Shoe shop</h1><p>Our finest shoes.</p>
<script src="${parley}/widget.js"></script>
<script>LiveChatWidget.init({ apiUrl: "${parley}" });</script></body></html>`;

let adminPage: Page;
let agentPage: Page;
let visitorPage: Page;
let widget: FrameLocator;

beforeAll(async () => {
  server = await startParley();
  site = await startStaticSite({ '/': hostPage(server.url) });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

describe('the agent dashboard', () => {
  it('sets up the first admin on a fresh install', async () => {
    adminPage = await newPage();
    await adminPage.goto(server.url);
    await adminPage.getByRole('heading', { name: 'Welcome to Parley' }).waitFor();
    expect(new URL(adminPage.url()).pathname).toBe('/setup');
    await shoot(adminPage, 'setup');
    await adminPage.getByLabel('Your name').fill(admin.name);
    await adminPage.getByLabel('Email').fill(admin.email);
    await adminPage.getByLabel('Password').fill(admin.password);
    await adminPage.getByRole('button', { name: 'Create admin account' }).click();
    await adminPage.getByRole('tab', { name: 'Mine' }).waitFor();
    expect(new URL(adminPage.url()).pathname).toBe('/conversations');
    // The empty inbox shows how to install the widget, and where to try it.
    await adminPage.getByRole('heading', { name: /No chats yet/ }).waitFor();
    expect(await adminPage.locator('pre').innerText()).toContain(`${server.url}/widget.js`);
    await adminPage.getByRole('link', { name: 'Try it on the demo page' }).waitFor();
    await shoot(adminPage, 'first-run');
    // A reload keeps the session: the refresh cookie brings a new access token silently.
    await adminPage.reload();
    await adminPage.getByRole('tab', { name: 'Mine' }).waitFor();
    await adminPage.getByRole('link', { name: admin.name }).waitFor();
  });

  it('adds an agent and a canned response in settings', async () => {
    await adminPage.getByRole('link', { name: 'Settings' }).click();
    await adminPage.getByRole('link', { name: 'Team' }).click();
    // The admin invites; the agent chooses their own password through the link.
    await adminPage.getByLabel('Name', { exact: true }).fill(agent.name);
    await adminPage.getByLabel('Email', { exact: true }).fill(agent.email);
    await adminPage.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await adminPage.getByTestId('invitation-link').innerText();
    const invited = await newPage();
    await invited.goto(link);
    await invited.getByLabel('New password', { exact: true }).fill(agent.password);
    await invited.getByLabel('Repeat new password').fill(agent.password);
    await invited.getByRole('button', { name: 'Join and sign in' }).click();
    await invited.getByRole('tab', { name: 'Mine' }).waitFor();
    await invited.context().close();
    await adminPage.reload();
    await adminPage.getByTestId(`team-${agent.email}`).waitFor();
    await shoot(adminPage, 'settings-team');

    await adminPage.getByRole('link', { name: 'Canned responses' }).click();
    await adminPage.getByLabel('Title').fill('Refund policy');
    await adminPage.getByLabel('Shortcut').fill('refund');
    await adminPage.getByLabel('Text').fill('Refunds reach your card within 5 days.');
    await adminPage.getByRole('button', { name: 'Add', exact: true }).click();
    await adminPage.getByText('#refund').waitFor();
    await shoot(adminPage, 'settings-canned');

    await adminPage.getByRole('link', { name: 'Widget' }).click();
    await adminPage.getByLabel('Install snippet').waitFor();
    await shoot(adminPage, 'settings-widget');
    await adminPage.getByRole('link', { name: 'Profile' }).click();
    await shoot(adminPage, 'settings-profile');
  });

  it('signs the agent in from another browser', async () => {
    agentPage = await newPage();
    await agentPage.goto(`${server.url}/conversations`);
    await agentPage.getByRole('button', { name: 'Sign in' }).waitFor();
    await shoot(agentPage, 'login');
    await agentPage.getByLabel('Email').fill(agent.email);
    await agentPage.getByLabel('Password').fill(agent.password);
    await agentPage.getByRole('button', { name: 'Sign in' }).click();
    await agentPage.getByRole('tab', { name: 'Mine' }).waitFor();
  });

  it('receives a visitor chat from the real widget live, and answers it', async () => {
    // No pre-chat form, so the visitor writes at once.
    const signedIn = await api<AuthReply>(server, 'POST', '/api/auth/login', {
      body: { email: admin.email, password: admin.password },
    });
    await patchWidgetSettings(server, signedIn.accessToken, {
      preChat: { name: 'off', email: 'off', message: 'off' },
    });

    await adminPage.getByRole('link', { name: 'Conversations' }).click();
    await adminPage.getByRole('tab', { name: 'All' }).click();
    visitorPage = await newPage();
    await visitorPage.goto(site.origin);
    await visitorPage.getByRole('button', { name: /Chat with us/ }).click();
    widget = visitorPage.frameLocator('iframe[title="Chat"]');
    const box = widget.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello, where is my order #1042?');
    await box.press('Enter');

    // It appears in the admin's list without a reload (its last line says who joined).
    const row = adminPage
      .getByRole('list', { name: 'Conversation list' })
      .getByRole('button')
      .first();
    await row.getByText(/^Visitor /).waitFor();
    // A tab's title counts what needs its agent: the chat in the queue (for an agent who takes
    // chats), or in their own list, unread, if routing gave it to them.
    await Promise.any(
      [adminPage, agentPage].map((p) => p.waitForFunction(() => document.title === '(1) Parley')),
    );
    await row.click();
    await adminPage.getByTestId('message').getByText('Hello, where is my order #1042?').waitFor();
    const assign = adminPage.getByRole('button', { name: 'Assign to me' });
    if (await assign.isVisible()) await assign.click();
    await adminPage.getByText('with you').waitFor();

    // The visitor's unsent text shows apart, as a sneak peek.
    await box.fill('It was the blue sneakers');
    await adminPage.getByTestId('visitor-draft').getByText('It was the blue sneakers').waitFor();
    await box.press('Enter');
    await adminPage.getByTestId('message').getByText('It was the blue sneakers').waitFor();

    const reply = adminPage.getByLabel('Reply to the visitor');
    await reply.fill('Hi! Let me check that for you.');
    await reply.press('Enter');
    await widget.getByText('Hi! Let me check that for you.').waitFor();
    // The sending tab has its reply from the ack (no broadcast back to it): shown once, and the
    // list's preview follows it.
    await row.getByText('You: Hi! Let me check that for you.').waitFor();
    expect(
      await adminPage.getByTestId('message').getByText('Hi! Let me check that for you.').count(),
    ).toBe(1);
    await shoot(adminPage, 'conversations');
  });

  it('inserts a canned response with #shortcut and keeps notes from the visitor', async () => {
    const reply = adminPage.getByLabel('Reply to the visitor');
    await reply.fill('#ref');
    await adminPage
      .getByRole('listbox', { name: 'Canned responses' })
      .getByText('Refund policy')
      .waitFor();
    await reply.press('Enter');
    expect(await reply.inputValue()).toBe('Refunds reach your card within 5 days.');
    await reply.press('Enter');
    await widget.getByText('Refunds reach your card within 5 days.').waitFor();

    await adminPage.getByRole('radio', { name: 'Internal note' }).click();
    const note = adminPage.getByLabel('Internal note (only agents see it)');
    await note.fill('VIP: refund without questions');
    await note.press('Enter');
    await adminPage.getByTestId('note').getByText('VIP: refund without questions').waitFor();
    await adminPage.getByRole('radio', { name: 'Reply' }).click();
    await reply.fill('Anything else?');
    await reply.press('Enter');
    // The later reply arrived; the note, sent before it, never did.
    await widget.getByText('Anything else?').waitFor();
    expect(await widget.getByText('VIP: refund without questions').count()).toBe(0);
  });

  it('transfers the chat to the other agent, who sees it arrive live', async () => {
    const users = await api<UserListReply>(server, 'GET', '/api/users', {
      token: (
        await api<AuthReply>(server, 'POST', '/api/auth/login', {
          body: { email: admin.email, password: admin.password },
        })
      ).accessToken,
    });
    const bob = users.items.find((u) => u.email === agent.email);
    if (!bob) throw new Error('agent missing');
    await agentPage.getByRole('tab', { name: 'Mine' }).click();
    await adminPage.getByLabel('Transfer to').selectOption(bob.id);
    await adminPage.getByText(`with ${agent.name}`).waitFor();

    const row = agentPage
      .getByRole('list', { name: 'Conversation list' })
      .getByRole('button')
      .first();
    // The list shows what a person last wrote, and who (not "Chat transferred to …").
    await row.getByText(`${admin.name}: Anything else?`).waitFor();
    // The keyboard flow of a chat desk: j/k move through the list, Enter opens.
    await agentPage.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await agentPage.keyboard.press('j');
    await agentPage.keyboard.press('k');
    await agentPage.keyboard.press('Enter');
    await agentPage.getByText('VIP: refund without questions').waitFor();
    await agentPage.getByLabel('Messages').getByText(`Chat transferred to ${agent.name}`).waitFor();
    await agentPage.getByRole('button', { name: 'Close' }).click();
    await agentPage.getByRole('button', { name: 'Reopen' }).waitFor();
  });

  it('counts the chat in analytics and shows visitors online', async () => {
    await adminPage.getByRole('link', { name: 'Analytics' }).click();
    const total = adminPage.getByTestId('stat-Conversations');
    await total.getByText('1', { exact: true }).waitFor();
    await adminPage.getByRole('heading', { name: 'Agents' }).waitFor();
    await adminPage.getByRole('cell', { name: agent.name }).waitFor();
    await shoot(adminPage, 'analytics');

    await adminPage.getByRole('link', { name: 'Visitors' }).click();
    await adminPage.getByRole('heading', { name: 'Visitors online (1)' }).waitFor();
    await shoot(adminPage, 'visitors');
    // The admin starts a new chat with the browsing visitor (their last one is closed), in
    // words of their own; the visitor's closed widget shows them beside the launcher.
    await visitorPage.locator('[data-parley-widget] button.l').click();
    await visitorPage.locator('[data-parley-widget] iframe').waitFor({ state: 'hidden' });
    await adminPage.getByRole('button', { name: /Start chat/ }).click();
    const first = adminPage.getByRole('textbox', { name: /First message to/ });
    await first.fill('Still looking for sneakers? We restocked the blue ones.');
    await first.press('Enter');
    await adminPage.getByText('with you').waitFor();
    await adminPage
      .getByTestId('message')
      .getByText('Still looking for sneakers? We restocked the blue ones.')
      .waitFor();
    const preview = visitorPage.locator('[data-parley-widget] button.p');
    await preview.getByText('We restocked the blue ones.', { exact: false }).waitFor();
    expect(await preview.innerText()).toContain(admin.name);
    await shoot(visitorPage, 'widget-proactive-preview');
    await preview.click();
    await widget.getByText('Still looking for sneakers? We restocked the blue ones.').waitFor();
    await preview.waitFor({ state: 'hidden' });

    // "Start chat" again, now that the visitor has a chat: the words go into that chat (they
    // were lost, issue 32), the dashboard opens it, and the widget shows them once.
    const chatUrl = adminPage.url();
    await adminPage.getByRole('link', { name: 'Visitors' }).click();
    await adminPage.getByRole('button', { name: /Start chat/ }).click();
    const second = adminPage.getByRole('textbox', { name: /First message to/ });
    await second.fill('Size 42 is back too.');
    await second.press('Enter');
    await adminPage.getByTestId('message').getByText('Size 42 is back too.').waitFor();
    expect(adminPage.url()).toBe(chatUrl);
    await widget.getByText('Size 42 is back too.').waitFor();
    expect(await widget.getByText('Size 42 is back too.').count()).toBe(1);
  });

  it('logged no console errors', () => {
    // The widget may log its own failures; the dashboard pages must be clean.
    expect(consoleErrors.filter((e) => e.startsWith(server.url))).toEqual([]);
  });
});
