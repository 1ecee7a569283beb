import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { addAgent, registerAdmin } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// Issue 36, item 5: after a scripted admin session (a failed sign-in, a person added, their
// role changed, deactivated and back, a token made, used and revoked, a webhook's secret
// revealed), Settings → Audit log shows who did what, from where and through which token; a
// filter narrows it, a record's before and after open, and the CSV downloads. Requests come
// "from" addresses through X-Forwarded-For, which the server believes with TRUST_PROXY.

let server: RunningServer;
let browser: Browser;
let admin: { token: string; user: { name: string; email: string } };
const contexts: BrowserContext[] = [];

/** A request "from" `ip`; throws on an error status unless `expected` says otherwise. */
async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; ip?: string; expected?: number } = {},
) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-forwarded-for': opts.ip ?? '198.51.100.7',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  if (opts.expected ? res.status !== opts.expected : !res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : null) as Record<string, any>;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startParley({ TRUST_PROXY: 'true', WEBHOOKS_ALLOW_PRIVATE: 'true' }),
    launchBrowser(),
  ]);
  admin = await registerAdmin(server, 'Alice Admin');
  const token = admin.token;
  await call('POST', '/api/auth/login', {
    body: { email: admin.user.email, password: 'guessing at it' },
    ip: '203.0.113.66',
    expected: 401,
  });
  const bob = await addAgent(server, token, {
    name: 'Bob Agent',
    email: 'bob@example.com',
    password: 'agent password 123',
  });
  const bobPath = `/api/users/${bob.user.id}`;
  await call('PATCH', bobPath, { token, body: { role: 'admin', capacity: 3 } });
  await call('PATCH', bobPath, { token, body: { active: false } });
  await call('PATCH', bobPath, { token, body: { active: true } });
  const created = await call('POST', '/api/tokens', {
    token,
    body: { name: 'Zapier', scope: 'full' },
  });
  await call('PATCH', '/api/settings/widget', {
    token: created.secret as string,
    body: { title: 'Talk to Acme' },
    ip: '192.0.2.10',
  });
  await call('DELETE', `/api/tokens/${created.token.id as string}`, { token });
  const endpoint = await call('POST', '/api/webhooks', {
    token,
    body: { url: 'http://127.0.0.1:9/acme', events: ['contact.erased'] },
  });
  await call('GET', `/api/webhooks/${endpoint.endpoint.id as string}/secret`, { token });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const records = (page: Page) => page.getByRole('list', { name: 'Audit records' });
const record = (page: Page, text: string | RegExp) =>
  records(page).getByTestId('audit-record').filter({ hasText: text });

async function noSideways(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

describe('Settings → Audit log', () => {
  it('shows the session’s records; a filter narrows them, details open, the CSV downloads', async () => {
    const page = await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: { width: 1280, height: 900 } },
    );
    await page.goto(`${server.url}/settings/audit`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();

    // Who, what, on what, from where, through which token.
    const failed = record(page, `Failed sign-in as ${admin.user.email} (Alice Admin’s account)`);
    await failed.getByText('from 203.0.113.66').waitFor();
    await record(page, 'Alice Admin invited someone: bob@example.com').waitFor();
    await record(page, 'Alice Admin changed a user: Bob Agent').waitFor();
    await record(page, 'deactivated a user: Bob Agent').waitFor();
    await record(page, 'reactivated a user: Bob Agent').waitFor();
    await record(page, 'Alice Admin created an API token: Zapier').waitFor();
    const widget = record(page, 'changed the widget');
    await widget.getByText('from 192.0.2.10 · through token Zapier').waitFor();
    await record(page, 'revealed a webhook secret: http://127.0.0.1:9/acme').waitFor();
    // This browser's own sign-in is the newest.
    await expect
      .poll(() => records(page).getByTestId('audit-record').first().innerText())
      .toMatch(/Alice Admin signed in/);

    // Before and after of the widget's change.
    await widget.getByRole('button', { name: 'Details' }).click();
    const title = widget.getByRole('row', { name: /widget|title/ });
    await expect.poll(() => title.first().innerText()).toMatch(/title\s+.+\s+Talk to Acme/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log-1280');

    // Only what was done to people.
    await page.getByLabel('What').selectOption({ label: 'People' });
    // Bob joined (by invitation), was changed, deactivated and reactivated.
    await expect.poll(() => records(page).getByTestId('audit-record').count()).toBe(4);
    const changed = record(page, 'changed a user: Bob Agent');
    await changed.getByRole('button', { name: 'Details' }).click();
    const role = changed.getByRole('row', { name: /^role/ });
    expect((await role.innerText()).split(/\s+/)).toEqual(['role', 'agent', 'admin']);
    const capacity = changed.getByRole('row', { name: /^capacity/ });
    expect((await capacity.innerText()).split(/\s+/)).toEqual(['capacity', '5', '3']);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log-people-1280');

    // The CSV of what is filtered.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^parley-audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'at,action,actor_id,actor_name,token_id,token_name,ip,target_id,target_name,details',
    );
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual([
      'user.reactivated',
      'user.deactivated',
      'user.changed',
      'user.added',
    ]);

    // On a phone, the same page, nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    await noSideways(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log-filters-375');
    await changed.scrollIntoViewIfNeeded();
    await screenshot(page, 'audit-log-people-375');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await record(page, 'Failed sign-in as').first().scrollIntoViewIfNeeded();
    await noSideways(page);
    await screenshot(page, 'audit-log-375');
  });

  it('has its own period in Settings → Retention: a year unless changed, at least 30 days', async () => {
    const page = await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: { width: 375, height: 800 } },
    );
    await page.goto(`${server.url}/settings/retention`);
    const period = page.getByTestId('retention-period').filter({ hasText: 'Audit log' });
    const days = period.getByLabel('Audit log: days kept');
    expect(await days.inputValue()).toBe('365');
    expect(await days.getAttribute('min')).toBe('30');
    await period.scrollIntoViewIfNeeded();
    await noSideways(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log-retention-375');
  });

  it('reads in the dark too', async () => {
    const page = await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
    );
    await page.goto(`${server.url}/settings/audit`);
    const changed = record(page, 'changed a user: Bob Agent');
    await changed.getByRole('button', { name: 'Details' }).click();
    await changed.getByRole('row', { name: /^role/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log-dark-1280');
  });
});
