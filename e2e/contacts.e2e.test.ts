import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {
  ContactListReply,
  ContactReply,
  IdentitySecretReply,
  RetentionSettingsReply,
  SiteReply,
} from '@parley/protocol';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { cutOff, overflow } from './support/layout.js';
import { watchPageErrors } from './support/page-errors.js';
import {
  addAgent,
  api,
  eventually,
  patchWidgetSettings,
  registerAdmin,
  VisitorSession,
} from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { asyncSnippet, startStaticSite, type StaticSite } from './support/static-site.js';

// Contacts and retention in the dashboard (issue 35), against the built server: people who
// chatted, one through the real widget on a shop's page (signed in there, so verified, with an
// attribute the shop set), the others through the visitor API; an admin finds each by name,
// email and attribute, opens one and their conversation, exports one (a zip with their words)
// and erases another behind the confirmation; an agent sees neither action; retention periods
// save, survive a reload and go back to "keep forever"; more than a page of contacts comes a
// page at a time. At 1280 px and at 375 px.

const password = 'correct horse battery';
const PHONE = { width: 375, height: 812 };
const DESK = { width: 1280, height: 900 };
const VERA = { id: 'cust-1001', name: 'Vera Verified', email: 'vera@acme.example' };
const VERA_ASKS = 'Does the platinum plan include spare poles?';
const NORA_ASKS = 'My tent arrived without its poles.';
const OMAR_ASKS = 'Can I change my delivery address?';

let server: RunningServer;
let shop: StaticSite;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const agent = { name: 'Bea Agent', email: 'bea@example.com' };
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();
/** The seeded people's visitor ids, and their first conversations. */
const ids = { vera: '', nora: '', noraOutdoor: '', omar: '', anonymous: '' };
const chats = { nora: '', omar: '' };

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
  await addAgent(server, admin.token, { ...agent, password, role: 'agent', capacity: 5 });
  await api<SiteReply>(server, 'POST', '/api/sites', {
    token: admin.token,
    body: { name: 'Outdoor shop', key: 'outdoor' },
  });
  await patchWidgetSettings(server, admin.token, {
    preChat: { name: 'off', email: 'off', message: 'off' },
  });
  const { secret } = await api<IdentitySecretReply>(
    server,
    'GET',
    '/api/settings/identity/secret',
    { token: admin.token },
  );
  const hash = createHmac('sha256', secret).update(VERA.id).digest('hex');
  shop = await startStaticSite({
    '/': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your account</title></head>
<body><main><h1>Acme Outdoor</h1></main>${asyncSnippet(server.url, [
      `LiveChatWidget.init({ apiUrl: '${server.url}' });`,
      `LiveChatWidget.setUser(${JSON.stringify({ ...VERA, hash })});`,
      "LiveChatWidget.setCustomAttributes({ plan: 'platinum' });",
    ])}</body></html>`,
  });

  // Vera writes through the widget, signed in on the shop: verified, with the shop's attribute.
  const context = await browser.newContext({ viewport: DESK });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(shop.origin);
  await page.locator('[data-parley-widget] button.l').click();
  const composer = page
    .frameLocator('[data-parley-widget] iframe')
    .getByLabel('Message', { exact: true });
  await composer.fill(VERA_ASKS);
  // Nobody is online: she leaves a message, which makes her a contact as a chat would.
  await page
    .frameLocator('[data-parley-widget] iframe')
    .getByRole('button', { name: 'Leave a message' })
    .click();
  ids.vera = (
    await eventually(
      async () => (await contacts()).find((c) => c.externalId === VERA.id),
      'Vera as a contact',
    )
  ).id;
  await context.close();

  // The others through the visitor API: Nora on two sites (the same address), Omar, someone
  // who gave nothing, and someone who only browses (not a contact).
  const nora = await visitor();
  await nora.setDetails({ name: 'Nora Lindqvist', email: 'nora@shop.example' });
  chats.nora = await nora.startChat(NORA_ASKS);
  ids.nora = nora.visitorId;
  const noraOutdoor = await visitor('outdoor');
  await noraOutdoor.setDetails({ name: 'Nora L.', email: 'nora@shop.example' });
  await noraOutdoor.startChat('Do you ship stoves to Oslo?');
  ids.noraOutdoor = noraOutdoor.visitorId;
  const omar = await visitor();
  await omar.setDetails({ name: 'Omar Haddad', email: 'omar@fjord.example' });
  chats.omar = await omar.startChat(OMAR_ASKS);
  ids.omar = omar.visitorId;
  const anonymous = await visitor();
  await anonymous.startChat('Just looking, thanks');
  ids.anonymous = anonymous.visitorId;
  const browsing = await visitor();
  await browsing.pageView('https://shop.example.com/stoves', 'Stoves');
  // Nora has left the site: a message to her waits for her return.
  nora.close();
  noraOutdoor.close();
  await eventually(async () => !(await contact(ids.nora)).contact.online, 'Nora offline');
});

afterAll(async () => {
  for (const v of visitors) v.close();
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await shop?.stop();
  await server?.stop();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

async function visitor(site?: string) {
  const session = await VisitorSession.connect(server, site);
  visitors.push(session);
  return session;
}

const contacts = async (query = '') =>
  (await api<ContactListReply>(server, 'GET', `/api/contacts?${query}`, { token: admin.token }))
    .items;
const contact = (id: string) =>
  api<ContactReply>(server, 'GET', `/api/contacts/${id}`, { token: admin.token });
const retention = () =>
  api<RetentionSettingsReply>(server, 'GET', '/api/settings/retention', { token: admin.token });

const signIn = async (
  email: string,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
) =>
  watched(
    await signInPage(
      browser,
      contexts,
      { url: server.url, email, password },
      { viewport, colorScheme },
    ),
  );

const rows = (page: Page) => page.getByTestId('contact');
const rowNames = (page: Page) =>
  rows(page)
    .getByRole('link')
    .evaluateAll((links) => links.map((l) => l.textContent));
const search = (page: Page) => page.getByLabel('Search contacts');
/** A card of the page, by its title. */
const card = (page: Page, title: string) =>
  page.locator('section').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const messages = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** The toasts of what was just done have gone (they would cover a screenshot). */
const toastsGone = (page: Page) =>
  expect
    .poll(() => page.getByText(/ saved$|Export downloaded/).count(), { timeout: 10_000 })
    .toBe(0);

describe('the contacts page', () => {
  it('lists everyone who chatted, and finds them by name, email and attribute', async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    // Last seen first; whoever only browsed is not a contact; the one who gave nothing is
    // named as the other pages name such a visitor.
    await expect.poll(() => rows(page).count()).toBe(5);
    expect(new Set(await rowNames(page))).toEqual(
      new Set([
        VERA.name,
        'Nora Lindqvist',
        'Nora L.',
        'Omar Haddad',
        `Visitor ${ids.anonymous.slice(0, 6)}`,
      ]),
    );
    const vera = rows(page).filter({ hasText: VERA.name });
    expect(await vera.innerText()).toContain('Verified');
    expect(await vera.innerText()).toContain(VERA.id);
    const omar = rows(page).filter({ hasText: 'Omar Haddad' });
    expect(await omar.innerText()).toContain('omar@fjord.example');
    // Two sites: each contact's site is named.
    expect(await rows(page).filter({ hasText: 'Nora L.' }).innerText()).toContain('Outdoor shop');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'contacts-1280');

    // By name; the search is in the address, and a reload keeps it.
    await search(page).fill('Lindqvist');
    await expect.poll(() => rowNames(page)).toEqual(['Nora Lindqvist']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('Lindqvist');
    await page.reload();
    await expect.poll(() => rowNames(page)).toEqual(['Nora Lindqvist']);
    expect(await search(page).inputValue()).toBe('Lindqvist');

    // By email, and by an attribute's value (the shop's, set through the widget).
    await search(page).fill('omar@fjord.example');
    await expect.poll(() => rowNames(page)).toEqual(['Omar Haddad']);
    await search(page).fill('platinum');
    await expect.poll(() => rowNames(page)).toEqual([VERA.name]);
    await search(page).fill('nobody-by-this-name');
    await page.getByText('Nobody matches “nobody-by-this-name”.').waitFor();
    expect(await rows(page).count()).toBe(0);

    // By site, kept in the address too.
    await search(page).fill('');
    await expect.poll(() => rows(page).count()).toBe(5);
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Outdoor shop' });
    await expect.poll(() => rowNames(page)).toEqual(['Nora L.']);
    await page.reload();
    await expect.poll(() => rowNames(page)).toEqual(['Nora L.']);
    expect(await page.getByLabel('Site', { exact: true }).inputValue()).not.toBe('');
  });

  it('opens a contact: details, conversations, other records; and one of their conversations', async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.goto(`${server.url}/contacts?q=Lindqvist`);
    await page.getByRole('link', { name: 'Nora Lindqvist' }).click();
    await page.getByRole('heading', { name: 'Nora Lindqvist', level: 1 }).waitFor();
    // The heading takes the focus, for a screen reader to start there.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Nora Lindqvist');
    const details = card(page, 'Details');
    expect(await details.innerText()).toContain('nora@shop.example');
    expect(await details.innerText()).toContain('Not verified');
    // Her record on the other site, by the same address.
    const other = page.getByRole('list', { name: 'Their other records' });
    expect(await other.innerText()).toContain('Outdoor shop');
    // She has left: the message would wait for her, and this Parley sends no email.
    await expect
      .poll(() => page.getByTestId('contact-reach').innerText())
      .toBe(
        'It is added to their open conversation. They are not on the site now: they see it in the chat when they come back. Email is off on this Parley, so it is not emailed to nora@shop.example.',
      );
    const conversation = page.getByTestId('contact-conversation');
    await expect.poll(() => conversation.count()).toBe(1);
    expect(await conversation.innerText()).toMatch(/open|pending/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'contact-1280');

    // Back to the list as it was searched.
    await page.getByRole('link', { name: 'All contacts' }).click();
    await expect.poll(() => rowNames(page)).toEqual(['Nora Lindqvist']);
    expect(await search(page).inputValue()).toBe('Lindqvist');

    // Her conversation opens in the conversations page.
    await page.getByRole('link', { name: 'Nora Lindqvist' }).click();
    await conversation.getByRole('link', { name: /^Started / }).click();
    await page.waitForURL(`**/conversations/${chats.nora}`);
    await messages(page).getByText(NORA_ASKS).waitFor();

    // Her other record, from hers.
    await page.goto(`${server.url}/contacts/${ids.nora}`);
    await page.getByRole('link', { name: 'Nora L.' }).click();
    await page.getByRole('heading', { name: 'Nora L.', level: 1 }).waitFor();
    expect(page.url()).toContain(`/contacts/${ids.noraOutdoor}`);
  });

  it('starts a chat with a contact who is on the site: the message joins their open one', async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.goto(`${server.url}/contacts/${ids.omar}`);
    await page.getByRole('heading', { name: 'Omar Haddad', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByTestId('contact-reach').innerText())
      .toBe(
        'It is added to their open conversation. They are on the site now: it appears in their chat at once.',
      );
    await page.getByLabel('Message to Omar Haddad').fill('Yes: which address should we use?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(`**/conversations/${chats.omar}`);
    await messages(page).getByText('Yes: which address should we use?').waitFor();
    await messages(page).getByText(OMAR_ASKS).waitFor();
  });

  it("exports a contact as a zip whose contact.json holds the person's message", async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.goto(`${server.url}/contacts/${ids.vera}`);
    await page.getByRole('heading', { name: VERA.name, level: 1 }).waitFor();
    // The shop's attribute, as the visitor panel shows it.
    expect(await page.getByTestId('visitor-answers').innerText()).toMatch(/plan\s+platinum/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^contact-vera-verified-\d{4}-\d\d-\d\d\.zip$/);
    const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(zip)).toContain('contact.json');
    const json = strFromU8(zip['contact.json'] as Uint8Array);
    expect(json).toContain(VERA_ASKS);
    expect(json).toContain(VERA.email);
    expect(json).not.toContain(NORA_ASKS);
    await page.getByText('Export downloaded').waitFor();
  });

  it('erases a contact behind a confirmation that says what goes; they leave the list', async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.goto(`${server.url}/contacts`);
    await page.getByRole('link', { name: 'Omar Haddad' }).click();
    await page.getByRole('heading', { name: 'Omar Haddad', level: 1 }).waitFor();

    // Cancel leaves everything as it was.
    await page.getByRole('button', { name: 'Erase…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase Omar Haddad?' });
    await dialog.waitFor();
    const said = await dialog.innerText();
    expect(said).toContain('their record: name, email, attributes');
    expect(said).toContain('1 conversation, with every message, note and file');
    expect(said).toContain('their conversations no longer count');
    expect(said).toContain('This cannot be undone.');
    // The safe choice has the focus.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Cancel');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'contact-erase-1280');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await contact(ids.omar)).contact.name).toBe('Omar Haddad');

    await page.getByRole('button', { name: 'Erase…' }).click();
    await dialog.getByRole('button', { name: 'Erase Omar Haddad' }).click();
    await page.waitForURL(/\/contacts$/);
    await page
      .getByRole('status')
      .filter({ hasText: 'Everything Parley held about Omar Haddad was erased.' })
      .waitFor();
    // The news has the focus, to be read out first.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Everything Parley held about Omar Haddad was erased.');
    await expect.poll(() => rows(page).count()).toBe(4);
    expect(await rowNames(page)).not.toContain('Omar Haddad');
    await expect(contact(ids.omar)).rejects.toThrow(/404/);
    expect(await contacts('q=omar%40fjord.example')).toEqual([]);
    await screenshot(page, 'contacts-erased-1280');
  });

  it('an agent who is not an admin may start a chat, and sees neither Export nor Erase', async () => {
    const page = await signIn(agent.email, DESK);
    await page.getByRole('link', { name: 'Contacts' }).click();
    await expect.poll(() => rows(page).count()).toBe(4);
    await page.getByRole('link', { name: 'Nora Lindqvist' }).click();
    await page.getByRole('heading', { name: 'Nora Lindqvist', level: 1 }).waitFor();
    await page.getByLabel('Message to Nora Lindqvist').waitFor();
    await page.getByTestId('contact-conversation').first().waitFor();
    expect(await page.getByRole('button', { name: /Export|Erase/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Their data' }).count()).toBe(0);
    // Nor the retention settings.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Profile' }).waitFor();
    expect(await page.getByRole('link', { name: 'Retention' }).count()).toBe(0);
  });
});

describe('retention settings', () => {
  it('save, survive a reload, confirm a shorter period, and "keep forever" round-trips', async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Retention' }).click();
    const closed = page.getByRole('group', { name: 'Closed conversations' });
    await closed.waitFor();
    // The defaults: conversations and visitors forever, the logs 30 days.
    expect(await closed.getByLabel('Keep forever').isChecked()).toBe(true);
    expect(
      await page
        .getByRole('group', { name: 'Idle visitors' })
        .getByLabel('Keep forever')
        .isChecked(),
    ).toBe(true);
    expect(await page.getByLabel('Webhook delivery log: days kept').inputValue()).toBe('30');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'retention-1280');

    // A shorter period asks first; declined, nothing is saved.
    await closed.getByLabel('Delete after').check();
    await page.getByLabel('Closed conversations: days kept').fill('400');
    await page.getByLabel('Webhook delivery log: days kept').fill('14');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('Closed conversations: kept forever → 400 days');
    expect(asked[0]).toContain('Webhook delivery log: 30 days → 14 days');
    expect(asked[0]).toContain('cannot be recovered');
    expect((await retention()).settings.closedConversationDays).toBeNull();

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Retention settings saved').waitFor();
    expect((await retention()).settings).toMatchObject({
      closedConversationDays: 400,
      idleVisitorDays: null,
      webhookLogDays: 14,
      doneJobDays: 30,
    });
    await page.reload();
    await closed.waitFor();
    expect(await closed.getByLabel('Delete after').isChecked()).toBe(true);
    expect(await page.getByLabel('Closed conversations: days kept').inputValue()).toBe('400');
    expect(await page.getByLabel('Webhook delivery log: days kept').inputValue()).toBe('14');

    // The last run, as the server tells it (saving a shorter period starts one).
    const { lastRun } = await retention();
    const lastRunCard = card(page, 'Last run');
    if (lastRun === null) {
      await lastRunCard.getByText('The retention job has deleted nothing yet.').waitFor();
    } else {
      const figures = page.getByTestId('retention-last-run');
      await figures.waitFor();
      expect(await figures.innerText()).toMatch(new RegExp(`Messages\\s+${lastRun.messages}\\b`));
    }

    // Back to forever: a longer period saves without asking.
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await closed.getByLabel('Keep forever').check();
    expect(await page.getByLabel('Closed conversations: days kept').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Retention settings saved').waitFor();
    expect(dialogs).toEqual([]);
    expect((await retention()).settings.closedConversationDays).toBeNull();
    await page.reload();
    await closed.waitFor();
    expect(await closed.getByLabel('Keep forever').isChecked()).toBe(true);
    await toastsGone(page);
    await page.getByRole('heading', { name: 'Last run' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'retention-last-run-1280');
  });
});

describe('at 375 px', () => {
  it('lays out the contacts, a contact, the erase dialog and retention on a phone', async () => {
    const page = await signIn(admin.user.email, PHONE);
    await page.getByRole('link', { name: 'Contacts' }).click();
    await expect.poll(() => rows(page).count()).toBe(4);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page), 'contacts').toEqual([]);
    expect(await axeViolations(page), 'contacts').toEqual([]);
    await screenshot(page, 'contacts-375');

    await page.getByRole('link', { name: VERA.name }).click();
    await page.getByRole('heading', { name: VERA.name, level: 1 }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page), 'contact').toEqual([]);
    expect(await axeViolations(page), 'contact').toEqual([]);
    await screenshot(page, 'contact-375');
    await page.getByRole('heading', { name: 'Their data' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'contact-actions-375');
    await page.getByRole('button', { name: 'Erase…' }).click();
    const dialog = page.getByRole('dialog', { name: `Erase ${VERA.name}?` });
    await dialog.waitFor();
    expect(await cutOff(page), 'erase dialog').toEqual([]);
    await screenshot(page, 'contact-erase-375');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await page.goto(`${server.url}/settings/retention`);
    await page.getByRole('group', { name: 'Closed conversations' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page), 'retention').toEqual([]);
    expect(await axeViolations(page), 'retention').toEqual([]);
    await screenshot(page, 'retention-375');

    // Dark: the badges, the statuses and the dialog stay readable.
    const dark = await signIn(admin.user.email, PHONE, 'dark');
    await dark.goto(`${server.url}/contacts/${ids.nora}`);
    await dark.getByRole('heading', { name: 'Nora Lindqvist', level: 1 }).waitFor();
    expect(await axeViolations(dark), 'contact, dark').toEqual([]);
    await screenshot(dark, 'contact-375-dark');
    // Vera is still there: the phone's dialog was closed without erasing.
    expect((await contact(ids.vera)).contact.name).toBe(VERA.name);
  });
});

describe('many contacts', () => {
  it('shows them a page at a time, the next page on "Load more"', async () => {
    // One more than a page (50): hikers who each asked once, then left.
    for (let i = 1; i <= 51; i++) {
      const hiker = await visitor();
      await hiker.setDetails({ name: `Hiker ${i}`, email: `hiker${i}@trail.example` });
      await hiker.startChat(`Question ${i} about boots`);
      hiker.close();
    }
    const page = await signIn(admin.user.email, DESK);
    await page.goto(`${server.url}/contacts?q=Hiker`);
    await expect.poll(() => rows(page).count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows(page).count()).toBe(51);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(new Set(await rowNames(page)).size).toBe(51);
  });
});
