import type { VisitorListReply } from '@parley/protocol';
import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
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

// Issue 20: the widget in the visitor's language (from the browser, or the site's setLocale),
// right to left in Arabic; the admin's own pre-chat questions and wording per language;
// the admin's colour scheme and the visitor's reduced motion. axe-core in every state.

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: { token: string; user: { name: string; email: string } };
let agent: AgentSession;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  site = await startStaticSite({
    '/': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Outdoor</title></head>
<body><main><h1>Acme Outdoor</h1><p>Tents, stoves and everything for the trail.</p></main>
${asyncSnippet(server.url, [`LiveChatWidget.init({ apiUrl: '${server.url}' });`])}</body></html>`,
  });
  admin = await registerAdmin(server, 'Alice Admin');
  agent = await AgentSession.connect(server, admin.token);
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

const noPreChat = {
  preChat: { name: 'off', email: 'off', message: 'off' },
  preChatFields: [],
} as const;

async function visit(options: BrowserContextOptions) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.origin);
  await launcher(page).waitFor();
  const chat = page.frameLocator('[data-parley-widget] iframe');
  return { page, chat, errors };
}

const launcher = (page: Page) => page.locator('[data-parley-widget] button.l');
const frameOf = (page: Page): Frame => {
  const frame = page.frames().find((f) => f.url().includes('/widget/'));
  if (!frame) throw new Error('widget frame missing');
  return frame;
};
/** The id of the element focused inside the chat. */
const focused = (page: Page) => frameOf(page).evaluate(() => document.activeElement?.id ?? '');

describe('the widget in the visitor language', () => {
  it("French from the browser, then Arabic by setLocale: right to left, times in the visitor's way", async () => {
    await patchWidgetSettings(server, admin.token, noPreChat);
    const { page, chat, errors } = await visit({ locale: 'fr-FR' });
    // The default title, translated, names the launcher before anything is opened.
    expect(await launcher(page).getAttribute('aria-label')).toBe('Discutons');
    await launcher(page).click();
    await chat.getByRole('heading', { name: 'Discutons' }).waitFor();
    await chat.getByText('Bonjour ! Comment pouvons-nous vous aider ?').waitFor();
    const box = chat.getByRole('textbox', { name: 'Message' });
    await box.fill('Bonjour, livrez-vous en Norvège ?');
    await box.press('Enter');
    const first = await eventually(
      () => agent.messages.find((m) => m.content.startsWith('Bonjour, livrez')),
      'the visitor message',
    );
    await agent.send(first.conversationId, 'Oui, en trois jours.');
    // Announced: the reply lands in the log (a polite live region), the status names the agent.
    await chat.getByRole('log', { name: 'Messages' }).getByText('Oui, en trois jours.').waitFor();
    await chat.getByRole('status').getByText('Alice Admin est là pour vous aider').waitFor();
    // French time of day: 24-hour, no AM/PM.
    const time = await chat.locator('.msg.theirs time').last().innerText();
    expect(time).toMatch(/^\d{2}:\d{2}$/);
    await screenshot(page, 'lang-french');
    expect(await axeViolations(frameOf(page)), 'french chat').toEqual([]);

    await page.evaluate(() => (window as any).LiveChatWidget.setLocale('ar'));
    await chat.getByRole('heading', { name: 'تحدث معنا' }).waitFor();
    const root = await frameOf(page).evaluate(() => ({
      dir: document.documentElement.dir,
      lang: document.documentElement.lang,
    }));
    expect(root).toEqual({ dir: 'rtl', lang: 'ar' });
    await chat.getByRole('status').getByText('Alice Admin هنا لمساعدتك').waitFor();
    expect(await chat.getByRole('textbox', { name: 'الرسالة' }).getAttribute('placeholder')).toBe(
      'اكتب رسالتك…',
    );
    // Mirrored: the visitor's own messages on the left, the agent's on the right.
    const mine = await chat.locator('.msg.mine .bubble').last().boundingBox();
    const theirs = await chat.locator('.msg.theirs .bubble').last().boundingBox();
    expect(mine && theirs && mine.x < theirs.x).toBe(true);
    await screenshot(page, 'lang-arabic-rtl');
    expect(await axeViolations(frameOf(page)), 'arabic chat').toEqual([]);

    // Closed, the launcher counts the unread reply in Arabic.
    await chat.getByRole('button', { name: 'إغلاق المحادثة' }).click();
    await agent.send(first.conversationId, 'هل من شيء آخر؟');
    await page.locator('[data-parley-widget] .b').filter({ hasText: '1' }).waitFor();
    expect(await launcher(page).getAttribute('aria-label')).toBe('تحدث معنا, غير مقروءة: 1');
    expect(await page.locator('[data-parley-widget] .w').getAttribute('dir')).toBe('rtl');
    await screenshot(page, 'lang-arabic-launcher');
    expect(await axeViolations(page, '[data-parley-widget]'), 'arabic launcher').toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("the admin's own pre-chat questions", () => {
  it('asked in order by keyboard, in the admin words per language, answers in the visitor panel', async () => {
    await patchWidgetSettings(server, admin.token, {
      preChat: { name: 'required', email: 'optional', message: 'off' },
      preChatFields: [
        {
          id: 'plan',
          label: 'Your plan',
          type: 'select',
          required: true,
          options: ['Free', 'Pro', 'Enterprise'],
        },
        { id: 'order', label: 'Order number', type: 'text', required: false, options: [] },
        {
          id: 'terms',
          label: 'I accept the terms',
          type: 'checkbox',
          required: true,
          options: [],
        },
      ],
      translations: { de: { greeting: 'Willkommen bei Acme!', fields: { plan: 'Ihr Tarif' } } },
    });

    const { page, chat } = await visit({ locale: 'en-US' });
    await launcher(page).click();
    await chat.getByRole('button', { name: 'Start chat' }).waitFor();
    // Focus starts in the first field and Tab walks the form in reading order.
    const order = [await focused(page)];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order).toEqual(['f-name', 'f-email', 'q-plan', 'q-order', 'q-terms', '']);
    expect(await frameOf(page).evaluate(() => document.activeElement?.textContent)).toBe(
      'Start chat',
    );
    // Required questions are said to be required, optional ones say so in their label.
    expect(
      await chat.getByLabel('Your plan').evaluate((el: HTMLSelectElement) => el.required),
    ).toBe(true);
    await chat.getByLabel('Order number (optional)').waitFor();
    expect(await axeViolations(frameOf(page)), 'pre-chat with questions').toEqual([]);

    // The browser refuses the form while a required answer is missing.
    await chat.getByLabel('Name').fill('Quinn');
    await chat.getByLabel('Your plan').selectOption('Pro');
    await chat.getByLabel('Order number (optional)').fill('A-1234');
    const form = chat.locator('form.contact');
    expect(await form.evaluate((el: HTMLFormElement) => el.checkValidity())).toBe(false);
    await chat.getByLabel('I accept the terms').check();
    expect(await form.evaluate((el: HTMLFormElement) => el.checkValidity())).toBe(true);
    await screenshot(page, 'prechat-questions');
    await chat.getByRole('button', { name: 'Start chat' }).click();
    const box = chat.getByRole('textbox', { name: 'Message' });
    await box.fill('Which tent for two?');
    await box.press('Enter');
    const message = await eventually(
      () => agent.messages.find((m) => m.content === 'Which tent for two?'),
      'the message',
    );
    const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors', {
      token: admin.token,
    });
    expect(items.find((v) => v.name === 'Quinn')?.attributes).toEqual({
      plan: 'Pro',
      order: 'A-1234',
      terms: 'true',
    });

    // The agent reads the answers under the questions' labels.
    const desk = await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: { width: 1440, height: 900 } },
    );
    await desk.goto(`${server.url}/conversations/${message.conversationId}`);
    const answers = desk.getByTestId('visitor-answers');
    await answers.getByText('Your plan').waitFor();
    expect(await answers.innerText()).toMatch(
      /Your plan\s+Pro\s+Order number\s+A-1234\s+I accept the terms\s+Yes/,
    );
    await screenshot(desk, 'prechat-answers-visitor-panel');

    // A German visitor reads the admin's German wording, the widget's own German elsewhere.
    const german = await visit({ locale: 'de-DE' });
    await launcher(german.page).click();
    await german.chat.getByText('Willkommen bei Acme!').waitFor();
    await german.chat.getByLabel('Ihr Tarif').waitFor();
    await german.chat.getByLabel('E-Mail (optional)').waitFor();
    await german.chat.getByRole('button', { name: 'Chat starten' }).waitFor();
    expect(await german.chat.getByLabel('Ihr Tarif').locator('option').first().innerText()).toBe(
      'Bitte wählen…',
    );
    await screenshot(german.page, 'prechat-questions-german');
    expect(await axeViolations(frameOf(german.page)), 'german pre-chat').toEqual([]);
  });
});

describe("the admin's colour scheme and the visitor's reduced motion", () => {
  it('dark, without transitions, and still without axe violations', async () => {
    await patchWidgetSettings(server, admin.token, { ...noPreChat, colorScheme: 'dark' });
    const { page, chat } = await visit({ locale: 'en-US', reducedMotion: 'reduce' });
    const transition = await page.evaluate(() => {
      const frame = document
        .querySelector('[data-parley-widget]')
        ?.shadowRoot?.querySelector('iframe');
      return frame ? getComputedStyle(frame).transitionDuration : null;
    });
    expect(transition).toBe('0s');
    await launcher(page).click();
    await chat.locator('.app').waitFor();
    expect(
      await frameOf(page).evaluate(() => getComputedStyle(document.body).backgroundColor),
    ).toBe('rgb(31, 41, 55)');
    await page.waitForTimeout(300);
    await screenshot(page, 'widget-dark');
    expect(await axeViolations(frameOf(page)), 'dark').toEqual([]);
    await patchWidgetSettings(server, admin.token, { colorScheme: 'auto' });
  });
});
