import type { MessageListReply } from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { overflow } from './support/layout.js';
import { watchPageErrors } from './support/page-errors.js';
import { addAgent, api, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// @mentions in notes (issue 37, item 4): Ada, in a note, types `@`, picks Bob from the list with
// the keyboard and sends; the note carries Bob's id and shows his name set apart; Bob, on
// another page of his dashboard, is told at once and follows the notice's link to the chat. A
// reply to the visitor never offers teammates.

const DESK = { width: 1280, height: 860 };
const PHONE = { width: 375, height: 812 };
const adaPassword = 'correct horse battery';
const bob = { email: 'bob.agent@example.com', password: 'bob password 123' };

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let bobId: string;
let conversationId: string;
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
  bobId = (await addAgent(server, admin.token, { name: 'Bob Agent', ...bob, role: 'agent' })).user
    .id;
  // A second teammate, so that there is a list to move through; and a bot, never offered.
  await addAgent(server, admin.token, {
    name: 'Cleo Agent',
    email: 'cleo.agent@example.com',
    password: 'cleo password 123',
    role: 'agent',
  });
  await api(server, 'POST', '/api/tokens', {
    token: admin.token,
    body: { name: 'Helper bot token', scope: 'full', bot: { name: 'Bobot' } },
  });
  const visitor = await VisitorSession.connect(server);
  visitors.push(visitor);
  await visitor.setDetails({ name: 'Vera Visitor' });
  conversationId = await visitor.startChat('My order never came.');
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

const signIn = async (email: string, password: string, viewport = DESK) =>
  watched(
    await signInPage(
      browser,
      contexts,
      { url: server.url, email, password },
      { viewport, colorScheme: 'light' },
    ),
  );

const noteBox = (page: Page) => page.getByLabel('Internal note (only agents see it)');
const teammateList = (page: Page) => page.getByRole('listbox', { name: 'Teammates to mention' });

/** The option the text box names as active, and its text. */
const activeOption = (page: Page) =>
  noteBox(page).evaluate((box) => {
    const id = box.getAttribute('aria-activedescendant');
    const option = id ? document.getElementById(id) : null;
    return option ? { text: option.textContent, selected: option.ariaSelected } : null;
  });

let ada: Page;
let bobPage: Page;

describe('mentioning a teammate in a note', () => {
  it('offers the teammates after @, picked with the keyboard, and sends their id', async () => {
    [ada, bobPage] = await Promise.all([
      signIn(admin.user.email, adaPassword),
      signIn(bob.email, bob.password),
    ]);
    await ada.goto(`${server.url}/conversations/${conversationId}`);
    await ada.getByRole('radio', { name: 'Internal note' }).click();
    const box = noteBox(ada);
    await box.pressSequentially('@');
    const list = teammateList(ada);
    await list.waitFor();
    // The people of the team but Ada herself; no bot.
    expect((await list.getByRole('option').allTextContents()).sort()).toEqual([
      'Bob Agent',
      'Cleo Agent',
    ]);
    expect(await box.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    expect(await axeViolations(ada)).toEqual([]);
    await screenshot(ada, 'mentions-list-1280');

    // The arrows move the active option, and the text box says which it is.
    const first = await activeOption(ada);
    expect(first?.selected).toBe('true');
    await box.press('ArrowDown');
    const second = await activeOption(ada);
    expect(second?.text).not.toBe(first?.text);
    await box.press('ArrowUp');
    expect(await activeOption(ada)).toEqual(first);

    // Escape closes the list and keeps the text; typing opens it again, narrowed.
    await box.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('@');
    await box.pressSequentially('bo');
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['Bob Agent']);
    await box.press('Enter');
    expect(await box.inputValue()).toBe('@Bob Agent ');
    await list.waitFor({ state: 'detached' });

    await box.pressSequentially('can you take this one?');
    await box.press('Enter');
    const note = ada.getByTestId('note').filter({ hasText: 'can you take this one?' });
    await note.getByTestId('mention').waitFor();
    expect(await note.getByTestId('mention').allTextContents()).toEqual(['@Bob Agent']);

    const { messages } = await api<MessageListReply>(
      server,
      'GET',
      `/api/conversations/${conversationId}/messages`,
      { token: admin.token },
    );
    const stored = messages.find((m) => m.content === '@Bob Agent can you take this one?');
    expect(stored?.type).toBe('note');
    expect(stored?.mentions).toEqual([bobId]);

    await note.scrollIntoViewIfNeeded();
    await screenshot(ada, 'mentions-note-light-1280');
    await ada.emulateMedia({ colorScheme: 'dark' });
    await screenshot(ada, 'mentions-note-dark-1280');
    expect(await axeViolations(ada)).toEqual([]);
    await ada.emulateMedia({ colorScheme: 'light' });
  });

  it("tells the mentioned teammate at once, and the notice's link opens the chat", async () => {
    // Bob is on his conversation list, with no chat open.
    const notice = bobPage.getByTestId('mention-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Ada Admin mentioned you in a note');
    expect(await notice.innerText()).toContain('@Bob Agent can you take this one?');
    await screenshot(bobPage, 'mentions-notice-light-1280');
    await bobPage.emulateMedia({ colorScheme: 'dark' });
    await screenshot(bobPage, 'mentions-notice-dark-1280');
    expect(await axeViolations(bobPage)).toEqual([]);
    await bobPage.emulateMedia({ colorScheme: 'light' });
    await notice.getByRole('link', { name: 'Open the conversation' }).click();
    await bobPage.waitForURL(`**/conversations/${conversationId}`);
    const note = bobPage.getByTestId('note').filter({ hasText: 'can you take this one?' });
    expect(await note.getByTestId('mention').textContent()).toBe('@Bob Agent');
    await notice.waitFor({ state: 'detached' });
  });

  it('tells Ada when Bob names her, picked with a click; the notice can be dismissed', async () => {
    await bobPage.getByRole('radio', { name: 'Internal note' }).click();
    const box = noteBox(bobPage);
    await box.pressSequentially('@ad');
    await teammateList(bobPage).getByRole('option', { name: 'Ada Admin' }).click();
    await box.pressSequentially('on it');
    await box.press('Enter');
    const told = ada.getByTestId('mention-notice').filter({ hasText: 'Bob Agent mentioned you' });
    await told.waitFor();
    // Dismissed before its time: it covers the composer on a phone.
    await told.getByRole('button', { name: 'Dismiss' }).click();
    await told.waitFor({ state: 'detached' });
  });

  it('offers nobody in a reply to the visitor, and fits a phone', async () => {
    await ada.getByRole('radio', { name: 'Reply' }).click();
    const reply = ada.getByLabel('Reply to the visitor');
    await reply.pressSequentially('@');
    // Given the time the list takes to open in a note.
    await ada.waitForTimeout(500);
    expect(await ada.getByRole('listbox').count()).toBe(0);
    await reply.fill('');

    await ada.setViewportSize(PHONE);
    await ada.getByRole('radio', { name: 'Internal note' }).click();
    await noteBox(ada).pressSequentially('@');
    await teammateList(ada).waitFor();
    expect(await overflow(ada)).toBeLessThanOrEqual(0);
    await screenshot(ada, 'mentions-list-375');
    await noteBox(ada).press('Escape');
  });
});
