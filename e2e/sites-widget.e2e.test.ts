import type { ConversationListItem, Site, Team } from '@parley/protocol';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
import { addAgent, AgentSession, api, eventually, registerAdmin } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { asyncSnippet, startStaticSite, type StaticSite } from './support/static-site.js';

// Issue 34, seen from two customers' websites: each site's snippet (its key) draws that site's
// widget, look and language; a visitor choosing a department reaches only that team's agents;
// a site outside its hours shows the away state with when it is back, in the visitor's own zone
// and language.
let server: RunningServer;
let main: StaticSite;
let shop: StaticSite;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const agents: AgentSession[] = [];
const contexts: BrowserContext[] = [];
let billing: Team;
let technical: Team;
let carolId: string;
let tomId: string;
let closedOpensAt: string;

/** A page of a customer's site with the install snippet, for the site with `key` (or none). */
const page = (apiUrl: string, title: string, lang: string, key?: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1></main>${asyncSnippet(apiUrl, [
    `LiveChatWidget.init({ apiUrl: '${apiUrl}'${key ? `, site: '${key}'` : ''} });`,
  ])}</body></html>`;

async function agent(name: string, email: string) {
  const password = 'agent password 123';
  const created = await addAgent(server, admin.token, { name, email, password });
  const { accessToken } = await api<{ accessToken: string }>(server, 'POST', '/api/auth/login', {
    body: { email, password },
  });
  agents.push(await AgentSession.connect(server, accessToken));
  return created.user.id;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  main = await startStaticSite({ '/': page(server.url, 'Acme Outdoor', 'en') });
  shop = await startStaticSite({
    '/': page(server.url, 'Acme Shop Deutschland', 'de', 'shop-de'),
    '/nachts': page(server.url, 'Acme Nachtschicht', 'de', 'nachts'),
  });
  admin = await registerAdmin(server, 'Alice Admin');
  carolId = await agent('Carol Billing', 'carol@example.com');
  tomId = await agent('Tom Technical', 'tom@example.com');
  const team = (name: string, memberIds: string[]) =>
    api<{ team: Team }>(server, 'POST', '/api/teams', {
      token: admin.token,
      body: { name, memberIds },
    }).then((r) => r.team);
  billing = await team('Billing', [carolId]);
  technical = await team('Technical', [tomId]);

  // The main site (the default one, today's snippet without a key): green, in English.
  await api(server, 'PATCH', '/api/settings/widget', {
    token: admin.token,
    body: { color: '#15803d', title: 'Acme Outdoor help', allowedOrigins: [main.origin] },
  });
  // The German shop: red, in German, its visitors choose between Billing and Technical.
  await api(server, 'POST', '/api/sites', {
    token: admin.token,
    body: {
      name: 'Acme Shop DE',
      key: 'shop-de',
      widget: {
        color: '#b91c1c',
        title: 'Acme Shop Hilfe',
        defaultLocale: 'de',
        allowedOrigins: [shop.origin],
        preChat: { name: 'optional', email: 'off', message: 'required' },
      },
      teamIds: [billing.id, technical.id],
      departmentChoice: true,
    },
  });
  // A night line with hours that have it closed now: it opens two hours from now.
  const h = new Date().getUTCHours();
  const at = (n: number) => `${String(n % 24).padStart(2, '0')}:00`;
  const night = await api<{ site: Site }>(server, 'POST', '/api/sites', {
    token: admin.token,
    body: {
      name: 'Acme Nachtschicht',
      key: 'nachts',
      widget: { color: '#7c3aed', defaultLocale: 'de', allowedOrigins: [shop.origin] },
      schedule: {
        timeZone: 'Europe/Berlin',
        weekly: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
            d,
            [{ start: at(h + 2), end: at(h + 3) }],
          ]),
        ),
      },
    },
  });
  // Berlin's hour, not UTC's: what matters is the instant the site says.
  closedOpensAt = night.site.hours?.opensAt ?? '';
  expect(night.site.hours?.open).toBe(false);
});

afterAll(async () => {
  agents.forEach((a) => a.close());
  await browser?.close();
  await main?.stop();
  await shop?.stop();
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function visit(url: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  contexts.push(context);
  const tab = await context.newPage();
  await tab.goto(url);
  const launcher = tab.locator('[data-parley-widget] button.l');
  await launcher.click();
  return { tab, launcher, chat: tab.frameLocator('[data-parley-widget] iframe') };
}

const backgroundOf = (el: { evaluate: <T>(fn: (e: Element) => T) => Promise<T> }) =>
  el.evaluate((e) => getComputedStyle(e).backgroundColor);

describe('two sites on two origins', () => {
  it("each snippet draws its own site's widget: look and language", async () => {
    const onMain = await visit(main.origin, { locale: 'en-US' });
    await expect.poll(() => onMain.chat.locator('h1').textContent()).toBe('Acme Outdoor help');
    expect(await backgroundOf(onMain.launcher)).toBe('rgb(21, 128, 61)');
    await screenshot(onMain.tab, 'sites-main-desktop');

    // The shop's visitor's browser asks for German too; the shop's widget is red and German.
    const onShop = await visit(shop.origin, { locale: 'de-DE' });
    await expect.poll(() => onShop.chat.locator('h1').textContent()).toBe('Acme Shop Hilfe');
    expect(await backgroundOf(onShop.launcher)).toBe('rgb(185, 28, 28)');
    await expect.poll(() => onShop.chat.locator('html').getAttribute('lang')).toBe('de');
    await expect(onShop.chat.getByLabel('Abteilung').count()).resolves.toBe(1);
    await screenshot(onShop.tab, 'sites-shop-desktop');

    // At phone width too.
    const phone = await visit(shop.origin, {
      locale: 'de-DE',
      viewport: { width: 375, height: 700 },
      isMobile: true,
      hasTouch: true,
    });
    await phone.chat.getByLabel('Abteilung').waitFor();
    await screenshot(phone.tab, 'sites-shop-375');
  });

  it('a visitor who chooses a department reaches only that team: Technical gets it, Billing never', async () => {
    const { chat, tab } = await visit(shop.origin, { locale: 'de-DE' });
    await chat.getByLabel('Abteilung').selectOption({ label: 'Technical' });
    await chat.getByLabel('Nachricht').fill('Mein Router blinkt rot');
    await chat.locator('form.contact button[type=submit]').click();
    await chat.getByText('Mein Router blinkt rot').waitFor();

    const conversation = await eventually(async () => {
      const list = await api<{ items: ConversationListItem[] }>(
        server,
        'GET',
        `/api/conversations?teamId=${technical.id}`,
        { token: admin.token },
      );
      const found = list.items.find((c) => c.lastMessage?.content === 'Mein Router blinkt rot');
      return found?.assigneeId ? found : undefined;
    });
    expect(conversation.assigneeId).toBe(tomId);
    expect(conversation.assigneeId).not.toBe(carolId);
    await chat.getByText('Tom Technical').first().waitFor();
    await screenshot(tab, 'sites-shop-department-chat');
  });

  it('a site outside its hours shows the away state: back at the time, in the visitor’s zone and language', async () => {
    const timezoneId = 'America/New_York';
    const { chat, tab } = await visit(`${shop.origin}/nachts`, { locale: 'fr-FR', timezoneId });
    const time = new Intl.DateTimeFormat('fr', {
      hour: 'numeric',
      minute: '2-digit',
      timeZone: timezoneId,
    }).format(new Date(closedOpensAt));
    await chat.getByText(`Nous serons de retour`, { exact: false }).waitFor();
    const intro = await chat.locator('form.contact .intro').textContent();
    expect(intro).toContain(`à ${time}.`);
    // Away: the offline form, not the chat.
    await expect(chat.getByRole('button', { name: 'Laisser un message' }).count()).resolves.toBe(1);
    await screenshot(tab, 'sites-night-away');
  });
});
