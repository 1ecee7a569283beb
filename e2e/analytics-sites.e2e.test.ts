import { readFile } from 'node:fs/promises';
import type {
  IdentitySecretReply,
  MessageReply,
  SiteListReply,
  SiteReply,
  TeamReply,
} from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { cutOff, overflow } from './support/layout.js';
import { watchPageErrors } from './support/page-errors.js';
import { api, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// Analytics by site and by team (issue 34), in the dashboard against the built server: an admin
// with two sites (the default "Website" and "Outdoor shop") and two teams (Billing, with no
// hours, and Technical, whose hours never open) filters every report of the page by site and by
// team, reads the first response within business hours beside the plain one, and downloads the
// CSV of one site's team. Each site has its own identity secret, revealed in its editor. The
// visitors' site shows in the visitor panel and filters the Visitors page. At 1280 and 375 px.
//
// The chats, each by a visitor of its own, all started today:
//
//   site          team       answered by Ada          rated
//   Website       Billing    yes                      –
//   Website       Technical  no (queued)              –
//   Outdoor shop  Billing    yes                      good, "Tent found"
//   Outdoor shop  Billing    no (queued)              –
//   Outdoor shop  Technical  yes, after 1.6 s         –

const PHONE = { width: 375, height: 812 };
const DESK = { width: 1280, height: 900 };

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();
let outdoorId = '';
/** The Outdoor shop chat a visitor rated, for the visitor panel. */
let ratedChat = '';

const post = <T>(path: string, body: unknown) =>
  api<T>(server, 'POST', path, { token: admin.token, body });

/** Ada takes the chat and answers it. */
async function answer(conversationId: string, content: string) {
  await post(`/api/conversations/${conversationId}/assign`, { agentId: admin.user.id });
  await post<MessageReply>('/api/messages', {
    conversationId,
    content,
    clientId: crypto.randomUUID(),
  });
}

/** A new visitor of the site with this key (none: the default site) asks in a department. */
async function ask(site: string | undefined, content: string, teamId: string) {
  const visitor = await VisitorSession.connect(server, site);
  visitors.push(visitor);
  return { visitor, conversationId: await visitor.startChat(content, teamId) };
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
  const billing = (await post<TeamReply>('/api/teams', { name: 'Billing' })).team.id;
  // No period on any day: the clock of "within business hours" never runs for its chats.
  const technical = (
    await post<TeamReply>('/api/teams', {
      name: 'Technical',
      schedule: { timeZone: 'UTC', weekly: {} },
    })
  ).team.id;
  const departments = { teamIds: [billing, technical], departmentChoice: true };
  const { items } = await api<SiteListReply>(server, 'GET', '/api/sites', { token: admin.token });
  const home = items.find((s) => s.isDefault);
  if (!home) throw new Error('no default site');
  await api(server, 'PATCH', `/api/sites/${home.id}`, { token: admin.token, body: departments });
  outdoorId = (
    await post<SiteReply>('/api/sites', { name: 'Outdoor shop', key: 'outdoor', ...departments })
  ).site.id;

  const a = await ask(undefined, 'Was I charged twice?', billing);
  await ask(undefined, 'The app crashes on start', technical);
  const c = await ask('outdoor', 'Where is my tent?', billing);
  await ask('outdoor', 'Can I pay by invoice?', billing);
  const e = await ask('outdoor', 'My stove leaks', technical);
  await answer(a.conversationId, 'Refunded the second charge.');
  await answer(c.conversationId, 'It ships tomorrow.');
  await c.visitor.socket.timeout(5000).emitWithAck('conversation.rate', {
    conversationId: c.conversationId,
    rating: 'up',
    comment: 'Tent found',
  });
  ratedChat = c.conversationId;
  // Long enough to read as a first response of whole seconds; Technical is closed throughout.
  await new Promise((r) => setTimeout(r, 1600));
  await answer(e.conversationId, 'Which model is it?');
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

const signIn = async (viewport: { width: number; height: number }) =>
  watched(
    await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport, acceptDownloads: true },
    ),
  );

/** A figure of the overview, as shown. */
const figure = (page: Page, label: string) =>
  page.getByTestId(`stat-${label}`).locator('p').nth(1).innerText();

/** Waits for the overview to show these figures (the reports refetch on each filter). */
async function expectFigures(page: Page, figures: Record<string, string>) {
  for (const [label, value] of Object.entries(figures)) {
    await expect.poll(() => figure(page, label), { timeout: 10_000 }).toBe(value);
  }
}

/** Ada's conversations, closed and messages in the agents table, as shown (not a phone's labels). */
const adaRow = (page: Page) =>
  page
    .getByRole('row')
    .filter({ hasText: admin.user.name })
    .getByRole('cell')
    .allInnerTexts()
    .then((cells) => cells.slice(1, 4).map((c) => c.trim()));

/** The toasts of what was just done have gone (they would cover a screenshot). */
const toastsGone = (page: Page) =>
  expect.poll(() => page.getByText(/^New secret in use$/).count(), { timeout: 10_000 }).toBe(0);

describe('Analytics by site and by team', () => {
  it('filters every report by site and by team, and says what business hours change', async () => {
    const page = await signIn(DESK);
    await page.getByRole('link', { name: 'Analytics' }).click();
    const site = page.getByLabel('Site', { exact: true });
    const team = page.getByLabel('Team', { exact: true });
    await Promise.all([site.waitFor(), team.waitFor()]);
    expect(await site.locator('option').allTextContents()).toEqual([
      'All sites',
      'Website',
      'Outdoor shop',
    ]);
    expect(await team.locator('option').allTextContents()).toEqual([
      'All teams',
      'Billing',
      'Technical',
    ]);
    await expectFigures(page, { Conversations: '5', 'Missed or queued': '2' });
    await expect.poll(() => adaRow(page)).toEqual(['3', '0', '3']);
    const ratings = page.locator('section', {
      has: page.getByRole('heading', { name: 'Ratings', exact: true }),
    });
    await ratings.getByText('Tent found').waitFor();

    await site.selectOption({ label: 'Outdoor shop' });
    await expectFigures(page, { Conversations: '3', 'Missed or queued': '1' });
    await expect.poll(() => adaRow(page)).toEqual(['2', '0', '2']);
    await ratings.getByText('Tent found').waitFor();

    await site.selectOption({ label: 'Website' });
    await expectFigures(page, { Conversations: '2', 'Missed or queued': '1' });
    await expect.poll(() => adaRow(page)).toEqual(['1', '0', '1']);
    await ratings.getByText('No ratings in these days.').waitFor();

    // By team, over both sites. Technical's hours never open: within them, its chat was
    // answered at once, though the visitor waited over a second and a half.
    await site.selectOption({ label: 'All sites' });
    await team.selectOption({ label: 'Technical' });
    await expectFigures(page, {
      Conversations: '2',
      'Missed or queued': '1',
      'First response within business hours': '0s',
    });
    expect(await figure(page, 'Median first response')).toMatch(/^[1-9]\d*s$/);
    await expect.poll(() => adaRow(page)).toEqual(['1', '0', '1']);
    await page
      .getByTestId('stat-First response within business hours')
      .getByText("Median; the clock stops while the chat's hours are closed")
      .waitFor();

    await team.selectOption({ label: 'Billing' });
    await expectFigures(page, { Conversations: '3', 'Missed or queued': '1' });
    await expect.poll(() => adaRow(page)).toEqual(['2', '0', '2']);
    // Billing has no hours, nor have the sites: within them is the first response itself.
    expect(await figure(page, 'First response within business hours')).toBe(
      await figure(page, 'Median first response'),
    );

    // Both: Outdoor shop's Billing.
    await site.selectOption({ label: 'Outdoor shop' });
    await expectFigures(page, { Conversations: '2', 'Missed or queued': '1' });
    await expect.poll(() => adaRow(page)).toEqual(['1', '0', '1']);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'analytics-sites-1280');

    // The CSV of what is on screen: its name and its summary say the site and the team.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^parley-analytics-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-site-outdoor-shop-team-billing\.csv$/,
    );
    const path = await download.path();
    const [summary, days, agents] = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\r\n\r\n')
      .map((part) => part.split('\r\n').map((line) => line.split(',')));
    const [head = [], values = []] = summary ?? [];
    const row = Object.fromEntries(head.map((name, i) => [name, values[i]]));
    expect(row).toMatchObject({
      site: 'Outdoor shop',
      team: 'Billing',
      conversations: '2',
      pending: '1',
      messages: '3',
      satisfaction_pct: '100',
    });
    expect(head).toContain('median_first_response_business_s');
    expect(row.median_first_response_business_s).toBe(row.median_first_response_s);
    // Today is the last day of the range, with both chats.
    expect(days?.at(-1)?.slice(1, 2)).toEqual(['2']);
    expect(agents?.[1]?.slice(0, 4)).toEqual([admin.user.name, '1', '0', '1']);
  });
});

describe('identity per site', () => {
  it('reveals the secret of a site in its editor, not the default site’s', async () => {
    const page = await signIn(DESK);
    // Settings → Identity is the default site's, and says where the others' are.
    await page.goto(`${server.url}/settings/identity`);
    await page.getByText('This is the secret of the default site, Website').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'identity-1280');
    await page.getByRole('link', { name: 'Settings → Sites' }).click();
    await page.getByRole('link', { name: 'Edit Outdoor shop' }).click();
    await page.getByRole('heading', { name: 'Outdoor shop' }).waitFor();

    const card = page.locator('section', {
      has: page.getByRole('heading', { name: 'Identity verification' }),
    });
    await card.getByRole('button', { name: 'Reveal' }).click();
    const shown = card.getByTestId('identity-secret');
    await expect.poll(() => shown.innerText()).not.toMatch(/•/);
    const secret = await shown.innerText();
    const secretOf = (query: string) =>
      api<IdentitySecretReply>(server, 'GET', `/api/settings/identity/secret${query}`, {
        token: admin.token,
      });
    expect(secret).toBe((await secretOf(`?siteId=${outdoorId}`)).secret);
    expect(secret).not.toBe((await secretOf('')).secret);
    // The reveal is recorded on the site's own settings.
    await card.getByText(`Last revealed by ${admin.user.name}`).waitFor();

    // Requiring verification here changes this site's only.
    // Saved on the click: the box follows the server's answer.
    await card.getByLabel('Require verification').click();
    await page.getByText('Only verified identities are taken').waitFor();
    const required = (query: string) =>
      api<{ settings: { requireVerification: boolean } }>(
        server,
        'GET',
        `/api/settings/identity${query}`,
        { token: admin.token },
      );
    expect((await required(`?siteId=${outdoorId}`)).settings.requireVerification).toBe(true);
    expect((await required('')).settings.requireVerification).toBe(false);
    await expect.poll(() => card.getByLabel('Require verification').isChecked()).toBe(true);
    await card.getByLabel('Require verification').click();
    await page.getByText('Unsigned identities allowed').waitFor();

    // A rotation gives this site a new secret, shown at once.
    page.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Rotate' }).click();
    await page.getByText('New secret in use').waitFor();
    await expect.poll(() => shown.innerText()).not.toBe(secret);
    expect(await shown.innerText()).toBe((await secretOf(`?siteId=${outdoorId}`)).secret);
    await toastsGone(page);
    expect(await axeViolations(page)).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'site-identity-1280');

    // The default site's editor points to Settings → Identity.
    await page.goto(`${server.url}/settings/sites`);
    await page.getByRole('link', { name: 'Edit Website' }).click();
    await page.getByText("The default site's secret is in").waitFor();
  });
});

describe('visitors by site', () => {
  it('names the visitor’s site in the panel and filters the Visitors page', async () => {
    const page = await signIn(DESK);
    // At 1280 px the visitor panel is beside the chat.
    await page.goto(`${server.url}/conversations/${ratedChat}`);
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    await panel.getByText('Site', { exact: true }).waitFor();
    await panel.getByText('Outdoor shop', { exact: true }).waitFor();
    await screenshot(page, 'visitor-panel-1280');

    await page.getByRole('link', { name: 'Visitors' }).click();
    await page.getByRole('heading', { name: 'Visitors online (5)' }).waitFor();
    expect((await page.getByTestId('visitor-site').allInnerTexts()).sort()).toEqual([
      'On Outdoor shop',
      'On Outdoor shop',
      'On Outdoor shop',
      'On Website',
      'On Website',
    ]);
    await screenshot(page, 'visitors-all-1280');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Outdoor shop' });
    await page.getByRole('heading', { name: 'Visitors online (3)' }).waitFor();
    // One site's list needs no site beside each visitor.
    expect(await page.getByTestId('visitor-site').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'visitors-site-1280');
  });
});

describe('at 375 px', () => {
  it('lays out the filters, the figures, a site’s identity and the visitors on a phone', async () => {
    const page = await signIn(PHONE);
    await page.goto(`${server.url}/analytics`);
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Technical' });
    await expectFigures(page, { Conversations: '2' });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page), 'analytics').toEqual([]);
    expect(await axeViolations(page), 'analytics').toEqual([]);
    await screenshot(page, 'analytics-sites-375');
    await page.getByTestId('stat-First response within business hours').scrollIntoViewIfNeeded();
    await screenshot(page, 'analytics-business-375');

    await page.goto(`${server.url}/settings/sites?site=${outdoorId}`);
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: 'Identity verification' }),
    });
    await card.getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => card.getByTestId('identity-secret').innerText()).not.toMatch(/•/);
    await card.scrollIntoViewIfNeeded();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page), 'site identity').toEqual([]);
    expect(await axeViolations(page), 'site identity').toEqual([]);
    await screenshot(page, 'site-identity-375');

    await page.goto(`${server.url}/settings/identity`);
    await page.getByText('This is the secret of the default site').waitFor();
    expect(await cutOff(page), 'identity').toEqual([]);
    await screenshot(page, 'identity-375');

    await page.goto(`${server.url}/visitors`);
    await page.getByRole('heading', { name: 'Visitors online (5)' }).waitFor();
    expect(await cutOff(page), 'visitors').toEqual([]);
    expect(await axeViolations(page), 'visitors').toEqual([]);
    await screenshot(page, 'visitors-site-375');

    await page.goto(`${server.url}/conversations/${ratedChat}`);
    await page.getByRole('button', { name: 'Visitor details' }).click();
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    await panel.getByText('Outdoor shop', { exact: true }).waitFor();
    expect(await cutOff(page), 'visitor panel').toEqual([]);
    await screenshot(page, 'visitor-panel-375');
  });
});
