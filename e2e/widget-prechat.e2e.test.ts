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

// Issue 32, item 19: the pre-chat form asks only what the site has not already said (setUser,
// setVisitor), and none at all when nothing is left; the choices of a question are worded per
// language as its label is, while the answer kept stays the option itself.
let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let agent: AgentSession;
const contexts: BrowserContext[] = [];

const plan = {
  id: 'plan',
  label: 'Your plan',
  type: 'select',
  required: true,
  options: ['Free', 'Pro', 'Enterprise'],
} as const;
const askEverything = {
  preChat: { name: 'required', email: 'required', message: 'off' },
  preChatFields: [plan],
} as const;

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  const init = `LiveChatWidget.init({ apiUrl: '${server.url}' });`;
  const page = (title: string, calls: string[]) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1></main>${asyncSnippet(server.url, [init, ...calls])}</body></html>`;
  site = await startStaticSite({
    '/': page('Acme Outdoor', []),
    '/visitor': page('Checkout', [
      "LiveChatWidget.setVisitor({ name: 'Sam Site', email: 'sam@example.com' });",
    ]),
    '/user': page('Your account', [
      "LiveChatWidget.setUser({ id: 'u-42', name: 'Una User', email: 'una@example.com' });",
    ]),
  });
  admin = await registerAdmin(server, 'Alice Admin');
  agent = await AgentSession.connect(server, admin.token);
  await patchWidgetSettings(server, admin.token, askEverything);
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

async function visit(path: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${site.origin}${path}`);
  await page.locator('[data-parley-widget] button.l').click();
  return { page, chat: page.frameLocator('[data-parley-widget] iframe') };
}

const frameOf = (page: Page): Frame => {
  const frame = page.frames().find((f) => f.url().includes('/widget'));
  if (!frame) throw new Error('widget frame missing');
  return frame;
};

const visitorNamed = async (name: string) => {
  const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors', {
    token: admin.token,
  });
  return items.find((v) => v.name === name);
};

describe('the pre-chat form and what the site already said', () => {
  it.each([
    ['/visitor', 'setVisitor', 'Sam Site', 'sam@example.com'],
    ['/user', 'setUser', 'Una User', 'una@example.com'],
  ] as const)('after %s (%s), asks only the question left', async (path, _how, name, email) => {
    const { page, chat } = await visit(path);
    await chat.getByLabel('Your plan').waitFor();
    // The site's name and email are known: their fields are not shown (they were, issue 32).
    await eventually(
      async () => (await chat.locator('#f-name, #f-email').count()) === 0,
      'the name and email fields to go',
    );
    await chat.getByRole('button', { name: 'Start chat' }).waitFor();
    await screenshot(page, `ui-widget-prechat-known${path.replace('/', '-')}`);
    expect(await axeViolations(frameOf(page)), path).toEqual([]);

    await chat.getByLabel('Your plan').selectOption('Pro');
    await chat.getByRole('button', { name: 'Start chat' }).click();
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    const visitor = await eventually(async () => {
      const v = await visitorNamed(name);
      return v?.attributes.plan === 'Pro' ? v : undefined;
    }, 'the answer');
    expect(visitor).toMatchObject({ name, email, attributes: { plan: 'Pro' } });
  });

  it('skips the whole form when the site said everything it asks', async () => {
    await patchWidgetSettings(server, admin.token, { ...askEverything, preChatFields: [] });
    const { page, chat } = await visit('/visitor', { viewport: { width: 375, height: 740 } });
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await chat.locator('form.contact').count()).toBe(0);
    await screenshot(page, 'ui-widget-prechat-nothing-left-375');
    await patchWidgetSettings(server, admin.token, askEverything);
  });
});

describe("a question's choices in the visitor's language", () => {
  it('are worded per language in the settings, shown translated, and kept as the option', async () => {
    const desk = await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: { width: 1280, height: 900 } },
    );
    await desk.goto(`${server.url}/settings/widget`);
    await desk.getByLabel('Wording for').selectOption('de');
    await desk.getByLabel('Form label “Your plan” (de)').fill('Ihr Tarif');
    await desk.getByLabel('Choice “Free” of “Your plan” (de)').fill('Kostenlos');
    await desk.getByLabel('Choice “Pro” of “Your plan” (de)').fill('Profi');
    await desk.getByLabel('Choice “Pro” of “Your plan” (de)').scrollIntoViewIfNeeded();
    await screenshot(desk, 'ui-settings-widget-choices-1280');
    expect(await axeViolations(desk), 'settings').toEqual([]);
    await desk.getByRole('button', { name: 'Save widget settings' }).click();
    await desk.getByText('Widget settings saved').waitFor();
    await desk.setViewportSize({ width: 375, height: 812 });
    await desk.getByLabel('Choice “Pro” of “Your plan” (de)').scrollIntoViewIfNeeded();
    await desk.waitForTimeout(300);
    await screenshot(desk, 'ui-settings-widget-choices-375');
    // Saved, and read back after a reload.
    await desk.reload();
    await desk.getByLabel('Wording for').selectOption('de');
    expect(await desk.getByLabel('Choice “Pro” of “Your plan” (de)').inputValue()).toBe('Profi');
    // An option left empty has no wording of its own.
    expect(await desk.getByLabel('Choice “Enterprise” of “Your plan” (de)').inputValue()).toBe('');

    const german = await visit('/', { locale: 'de-DE' });
    const select = german.chat.getByLabel('Ihr Tarif');
    await select.waitFor();
    expect(await select.locator('option').allInnerTexts()).toEqual([
      'Bitte wählen…',
      'Kostenlos',
      'Profi',
      'Enterprise',
    ]);
    await screenshot(german.page, 'ui-widget-prechat-german-choices');
    expect(await axeViolations(frameOf(german.page)), 'german').toEqual([]);
    await german.chat.getByLabel('Name').fill('Greta');
    await german.chat.getByLabel('E-Mail').fill('greta@example.de');
    await select.selectOption({ label: 'Profi' });
    await german.chat.getByRole('button', { name: 'Chat starten' }).click();
    await german.chat.getByRole('textbox', { name: 'Nachricht' }).waitFor();
    // The answer is the option as the settings spell it, whatever the visitor read.
    const greta = await eventually(async () => {
      const v = await visitorNamed('Greta');
      return v?.attributes.plan ? v : undefined;
    }, 'the answer');
    expect(greta.attributes).toEqual({ plan: 'Pro' });

    // An English visitor reads the options as set.
    const english = await visit('/', { locale: 'en-US' });
    expect(await english.chat.getByLabel('Your plan').locator('option').allInnerTexts()).toEqual([
      'Choose…',
      'Free',
      'Pro',
      'Enterprise',
    ]);
  });
});
