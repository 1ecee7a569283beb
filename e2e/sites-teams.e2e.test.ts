import type { Schedule, SiteListReply, TeamListReply } from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { cutOff, overflow } from './support/layout.js';
import { watchPageErrors } from './support/page-errors.js';
import { addAgent, api, eventually, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// Sites, teams and business hours (issue 34) in the dashboard, against the built server: an
// admin makes two teams with hours (a split shift and a holiday in one, a period past midnight
// in another zone in the other), a second site with its teams in order and a department choice,
// and takes its snippet with its key; deleting the site once it has a visitor is refused with
// the server's reason. An agent then filters the list by site and team, reads both in the chat's
// header, and hands the chat to another team. At 1280 px and at 375 px.

const password = 'correct horse battery';
const PHONE = { width: 375, height: 812 };
const DESK = { width: 1280, height: 900 };
// The admin's browser is in Berlin: a new schedule starts in the browser's zone.
const timezoneId = 'Europe/Berlin';

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const agent = { name: 'Bea Agent', email: 'bea@example.com' };
let agentId: string;
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
  const created = await addAgent(server, admin.token, {
    ...agent,
    password,
    role: 'agent',
    capacity: 5,
  });
  agentId = created.user.id;
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
      { viewport, timezoneId, colorScheme },
    ),
  );

const teams = async () =>
  (await api<TeamListReply>(server, 'GET', '/api/teams', { token: admin.token })).items;
const sites = async () =>
  (await api<SiteListReply>(server, 'GET', '/api/sites', { token: admin.token })).items;
const teamId = async (name: string) => {
  const team = (await teams()).find((t) => t.name === name);
  if (!team) throw new Error(`no team ${name}`);
  return team.id;
};

/** The toasts of what was just done have gone (they would cover a screenshot). */
const toastsGone = (page: Page) =>
  expect
    .poll(() => page.getByText(/ added$| saved$|Snippet copied/).count(), { timeout: 10_000 })
    .toBe(0);

describe('an admin sets up teams and sites', () => {
  it('makes two teams with hours: a split shift and a holiday, a period past midnight', async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.goto(`${server.url}/settings/team`);
    await page.getByRole('heading', { name: 'Teams' }).waitFor();
    await page.getByText('No teams yet').waitFor();

    await page.getByRole('button', { name: 'Add team' }).click();
    await page.getByLabel('Team name').fill('Billing');
    await page.getByRole('checkbox', { name: agent.name }).check();
    // A new schedule: office hours, Monday to Friday, in the browser's zone.
    expect(await page.getByLabel('Time zone').inputValue()).toBe(timezoneId);
    expect(await page.getByLabel('Open on Saturday').isChecked()).toBe(false);
    // Monday is a split shift: the second period starts after the first.
    await page.getByLabel('Monday, period 1, until').fill('12:00');
    await page.getByRole('button', { name: 'Add a period on Monday' }).click();
    expect(await page.getByLabel('Monday, period 2, from').inputValue()).toBe('13:00');
    await page.getByLabel('Monday, period 2, until').fill('17:00');
    // Christmas Day: closed all day.
    await page.getByRole('button', { name: 'Add a date' }).click();
    await page.getByLabel('Date 1', { exact: true }).fill('2026-12-25');
    expect(await page.getByLabel('Hours on Fri, 25 Dec 2026').inputValue()).toBe('closed');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('hours-editor').scrollIntoViewIfNeeded();
    await screenshot(page, 'hours-editor-1280');
    await page.getByRole('button', { name: 'Add team', exact: true }).click();
    const billing = page.getByTestId('team').filter({ hasText: 'Billing' });
    await billing.waitFor();
    expect(await billing.innerText()).toContain(
      'Mon 09:00–12:00, 13:00–17:00 · Tue–Fri 09:00–17:00 (Europe/Berlin)',
    );
    expect(await billing.innerText()).toContain('Closed Fri, 25 Dec 2026');
    expect(await billing.innerText()).toContain(`1 member: ${agent.name}`);
    // Open or closed depends on when the test runs; either way it says until or from when.
    expect(await billing.innerText()).toMatch(/Open now, until |Closed, opens /);

    // Technical works in New York, weekends too, and Friday nights past midnight.
    await page.getByRole('button', { name: 'Add team' }).click();
    await page.getByLabel('Team name').fill('Technical');
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByLabel('Open on Saturday').check();
    await page.getByLabel('Friday, period 1, from').fill('22:00');
    await page.getByLabel('Friday, period 1, until').fill('02:00');
    await page.getByText('until the next day').waitFor();
    // Two periods that overlap are refused here, in words, before the server sees them.
    await page.getByRole('button', { name: 'Add a period on Tuesday' }).click();
    await page.getByLabel('Tuesday, period 2, from').fill('16:00');
    await page.getByRole('button', { name: 'Add team', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Tuesday: 09:00–17:00 and 16:00–21:00 overlap' })
      .waitFor();
    await page.getByRole('button', { name: 'Remove Tuesday, period 2' }).click();
    await page.getByRole('button', { name: 'Add team', exact: true }).click();
    await page.getByTestId('team').filter({ hasText: 'Technical' }).waitFor();

    const byName = new Map((await teams()).map((t) => [t.name, t]));
    const office = [{ start: '09:00', end: '17:00' }];
    expect(byName.get('Billing')?.schedule).toEqual({
      timeZone: 'Europe/Berlin',
      weekly: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
        tue: office,
        wed: office,
        thu: office,
        fri: office,
      },
      exceptions: { '2026-12-25': [] },
    } satisfies Schedule);
    expect(byName.get('Billing')?.memberIds).toEqual([agentId]);
    expect(byName.get('Technical')?.schedule).toEqual({
      timeZone: 'America/New_York',
      weekly: {
        mon: office,
        tue: office,
        wed: office,
        thu: office,
        fri: [{ start: '22:00', end: '02:00' }],
        sat: office,
      },
    } satisfies Schedule);
    await toastsGone(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('heading', { name: 'Teams' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'teams-1280');
  });

  it('adds a site with its teams in order and a department choice, and takes its snippet', async () => {
    const page = await signIn(admin.user.email, DESK);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.url,
    });
    await page.goto(`${server.url}/settings/sites`);
    // Only the default site so far.
    await expect.poll(() => page.getByTestId('site').count()).toBe(1);
    await page.getByTestId('site').getByText('Default', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add site' }).click();
    await page.getByLabel('Site name').fill('Outdoor shop');
    await page.getByLabel('Key (optional)').fill('outdoor');
    await page.getByRole('button', { name: 'Add site' }).click();
    // The new site's editor opens at once.
    await page.getByRole('heading', { name: 'Outdoor shop' }).waitFor();
    expect(page.url()).toContain('/settings/sites?site=');

    await page.getByLabel('Add a team').selectOption({ label: 'Billing' });
    await page.getByLabel('Add a team').selectOption({ label: 'Technical' });
    await page.getByRole('button', { name: 'Move Technical up' }).click();
    const order = page.getByRole('list', { name: 'Teams in routing order' });
    await expect.poll(() => order.innerText()).toMatch(/1\.\s*Technical[\s\S]*2\.\s*Billing/);
    await page.getByLabel('Let visitors choose a department').check();
    await page.getByLabel('Email sender name').fill('Outdoor Shop Support');
    await page.getByLabel('Title', { exact: true }).fill('Outdoor help');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText('Site saved').waitFor();

    const outdoor = (await sites()).find((s) => s.key === 'outdoor');
    expect(outdoor).toMatchObject({
      name: 'Outdoor shop',
      teamIds: [await teamId('Technical'), await teamId('Billing')],
      departmentChoice: true,
      emailSenderName: 'Outdoor Shop Support',
      schedule: null,
      widget: { title: 'Outdoor help' },
    });

    // Its snippet names it by its key; copied as shown.
    const snippet = await page.getByLabel('Install snippet').innerText();
    expect(snippet).toContain(`LiveChatWidget.init({ apiUrl: "${server.url}", site: "outdoor" });`);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Snippet copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await toastsGone(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'site-editor-1280');
    // Hours of its own, in the same editor as a team's.
    await page.getByLabel('Hours of its own').check();
    await page.getByTestId('hours-editor').scrollIntoViewIfNeeded();
    await screenshot(page, 'site-editor-hours-1280');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Hours of its own').uncheck();

    // The list: both sites, the new one with its teams in order.
    await page.getByRole('link', { name: 'All sites' }).click();
    await expect.poll(() => page.getByTestId('site').count()).toBe(2);
    const row = page.getByTestId('site').filter({ hasText: 'Outdoor shop' });
    expect(await row.innerText()).toContain(
      'Teams, in order: Technical, Billing · visitors choose',
    );
    expect(await row.innerText()).toMatch(/Open now|Closed/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sites-1280');

    // The default site's snippet names no site: pages installed before sites keep working.
    await page.getByRole('link', { name: 'Edit Website' }).click();
    await page.getByRole('heading', { name: 'Website' }).waitFor();
    expect(await page.getByLabel('Install snippet').innerText()).not.toContain('site:');
    await page.getByText('The default site stays').waitFor();
  });

  it('refuses to delete a site with visitors, saying why', async () => {
    // A visitor of the outdoor shop picks Billing on the pre-chat form; one of the default site
    // asks without a team.
    const outdoorVisitor = await VisitorSession.connect(server, 'outdoor');
    const defaultVisitor = await VisitorSession.connect(server);
    visitors.push(outdoorVisitor, defaultVisitor);
    await outdoorVisitor.startChat('Where is my tent?', await teamId('Billing'));
    await defaultVisitor.startChat('Do you ship to Norway?');

    const page = await signIn(admin.user.email, DESK);
    await page.goto(`${server.url}/settings/sites`);
    await page.getByRole('link', { name: 'Edit Outdoor shop' }).click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete site' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'This site has visitors and their conversations; it cannot be deleted' })
      .waitFor();
    expect((await sites()).some((s) => s.key === 'outdoor')).toBe(true);
  });
});

describe('an agent works by site and team', () => {
  it('filters the list by site and by team, and transfers a chat to a team', async () => {
    const page = await signIn(agent.email, DESK);
    await page.getByRole('tab', { name: 'All' }).click();
    const list = page.getByRole('list', { name: 'Conversation list' });
    const rows = list.getByRole('button');
    await expect.poll(() => rows.count()).toBe(2);
    // Each row says where it came from, and whose queue it is in.
    await list.getByText('Outdoor shop · Billing').waitFor();
    await list
      .getByTestId('conversation-place')
      .filter({ hasText: /^Website$/ })
      .waitFor();

    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Outdoor shop' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Where is my tent?');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Website' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Do you ship to Norway?');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Any site' });

    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Technical' });
    await list.getByText('No conversations here.').waitFor();
    // Bea is in Billing: her teams' chats are Billing's.
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'My teams' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Where is my tent?');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'conversations-filters-1280');

    // The chat's header says the site and the team; a transfer offers teams as well as people.
    await rows.first().click();
    const place = page.getByTestId('chat-place');
    await expect.poll(() => place.innerText()).toBe('Outdoor shop · Billing');
    const assign = page.getByRole('button', { name: 'Assign to me' });
    // Routing may have given it to her already, if Billing is open now.
    if (await assign.isVisible()) await assign.click();
    await page.getByText('· with you').waitFor();
    const groups = await page
      .getByLabel('Transfer to')
      .locator('optgroup')
      .evaluateAll((els) => els.map((el) => el.getAttribute('label')));
    expect(groups).toEqual(['Teams', 'People']);
    await page.getByLabel('Transfer to').selectOption(`team:${await teamId('Technical')}`);
    await expect.poll(() => place.innerText()).toBe('Outdoor shop · Technical');
    await eventually(
      async () =>
        (
          await api<{ conversation: { teamId: string | null } }>(
            server,
            'GET',
            `/api/conversations/${page.url().split('/').pop()}`,
            { token: admin.token },
          )
        ).conversation.teamId === (await teamId('Technical')),
      'the chat in Technical’s queue',
    );

    // She reads the teams and their hours, and changes none.
    await page.goto(`${server.url}/settings/team`);
    const billing = page.getByTestId('team').filter({ hasText: 'Billing' });
    await billing.waitFor();
    expect(await billing.innerText()).toContain('Closed Fri, 25 Dec 2026');
    expect(
      await page.getByRole('button', { name: /Add team|Edit Billing|Delete Billing/ }).count(),
    ).toBe(0);
  });
});

describe('at 375 px', () => {
  it('lays out the sites, a site, the hours editor and the filters on a phone', async () => {
    const page = await signIn(admin.user.email, PHONE);
    await page.goto(`${server.url}/settings/sites`);
    await expect.poll(() => page.getByTestId('site').count()).toBe(2);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page)).toEqual([]);
    expect(await axeViolations(page), 'sites').toEqual([]);
    await screenshot(page, 'sites-375');

    await page.getByRole('link', { name: 'Edit Outdoor shop' }).click();
    await page.getByRole('heading', { name: 'Outdoor shop' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page), 'site editor').toEqual([]);
    expect(await axeViolations(page), 'site editor').toEqual([]);
    await screenshot(page, 'site-editor-375');
    await page.getByRole('list', { name: 'Teams in routing order' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'site-editor-teams-375');
    await page.getByLabel('Hours of its own').check();
    await page.getByTestId('hours-editor').scrollIntoViewIfNeeded();
    expect(await cutOff(page), 'site hours').toEqual([]);
    await screenshot(page, 'site-editor-hours-375');
    await page.getByLabel('Install snippet').scrollIntoViewIfNeeded();
    await screenshot(page, 'site-editor-snippet-375');

    // A team's hours on a phone: the split shift and the holiday, each control on screen.
    await page.goto(`${server.url}/settings/team`);
    await page.getByRole('button', { name: 'Edit Billing' }).click();
    await page.getByLabel('Monday, period 2, until').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await cutOff(page), 'team hours').toEqual([]);
    expect(await axeViolations(page), 'team hours').toEqual([]);
    await page.getByTestId('hours-editor').scrollIntoViewIfNeeded();
    await screenshot(page, 'hours-editor-375');
    await page.getByTestId('hours-date').scrollIntoViewIfNeeded();
    await screenshot(page, 'hours-editor-dates-375');

    // Dark: the badges and the editor stay readable.
    const dark = await signIn(admin.user.email, PHONE, 'dark');
    await dark.goto(`${server.url}/settings/team`);
    await dark.getByRole('button', { name: 'Edit Billing' }).click();
    await dark.getByTestId('hours-date').scrollIntoViewIfNeeded();
    expect(await axeViolations(dark), 'team hours, dark').toEqual([]);
    await screenshot(dark, 'hours-editor-375-dark');
    await dark.goto(`${server.url}/settings/sites`);
    await expect.poll(() => dark.getByTestId('site').count()).toBe(2);
    expect(await axeViolations(dark), 'sites, dark').toEqual([]);
    await screenshot(dark, 'sites-375-dark');

    const desk = await signIn(agent.email, PHONE);
    await desk.getByRole('tab', { name: 'All' }).click();
    await desk.getByLabel('Team', { exact: true }).waitFor();
    await desk.getByText('Do you ship to Norway?').waitFor();
    expect(await cutOff(desk), 'filters').toEqual([]);
    expect(await axeViolations(desk), 'filters').toEqual([]);
    await screenshot(desk, 'conversations-filters-375');
    await desk.getByText('Where is my tent?').click();
    await desk.getByTestId('chat-place').waitFor();
    expect(await cutOff(desk), 'chat header').toEqual([]);
    await screenshot(desk, 'chat-header-375');
  });
});
