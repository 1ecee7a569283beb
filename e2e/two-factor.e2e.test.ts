import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { overflow } from './support/layout.js';
import { addAgent, api, registerAdmin } from './support/parley-api.js';
import { watchPageErrors } from './support/page-errors.js';
import { startParley, type RunningServer } from './support/server.js';
import { codeAt } from '../packages/server/test/totp-code.js';

// Two-factor sign-in (issue 36, item 1), in the browser: an agent turns it on from Profile
// (reading the key off the page, as they would type it into an app), signs out, signs in with a
// code and then with a recovery code; an admin requires it, and an agent without it sees only
// the set-up screen until they set it up.

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();
const PASSWORD = 'a long unusual passphrase 91';
const ADMIN_PASSWORD = 'correct horse battery';

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(pageErrors).toEqual([]);
});

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  return watched(await context.newPage());
}

/** The password step; the page then shows the code step or the dashboard. */
async function typePassword(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function onDesk(page: Page) {
  try {
    // The conversations page (its empty state, on a new team, has no tabs to wait for).
    await page.waitForURL(/\/conversations/);
  } catch (error) {
    // What the page showed instead, for whoever reads the failure.
    await screenshot(page, 'two-factor-failed');
    throw new Error(`not on the desk: ${await page.locator('body').innerText()}`, { cause: error });
  }
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

/** Profile's set-up, as a person does it: the key read off the page, the code from "the app". */
async function setUpFromPage(page: Page, shot?: string) {
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const key = page.getByTestId('two-factor-secret');
  await key.waitFor();
  const secret = (await key.textContent())?.replace(/\s+/g, '') ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect
    .poll(() => page.getByAltText(/QR code/).evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  expect(await axeViolations(page)).toEqual([]);
  if (shot) {
    await page.getByTestId('two-factor-setup').scrollIntoViewIfNeeded();
    await screenshot(page, shot);
  }
  const code = page.getByLabel('Code from the app');
  expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
  expect(await code.getAttribute('inputmode')).toBe('numeric');
  await code.fill(codeAt(secret));
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  expect(recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes };
}

describe('two-factor sign-in', () => {
  it('is turned on from Profile; then sign-in asks for a code, or a recovery code', async () => {
    const tess = { name: 'Tess Two', email: 'tess@example.com', password: PASSWORD };
    await addAgent(server, admin.token, tess);
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await typePassword(page, tess.email);
    await onDesk(page);
    await page.goto(`${server.url}/settings/profile`);
    const { secret, recoveryCodes } = await setUpFromPage(page, 'two-factor-setup-1280');
    await page.getByTestId('recovery-codes').scrollIntoViewIfNeeded();
    await screenshot(page, 'two-factor-recovery-codes-1280');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText(/^On since .* 10 of 10 recovery codes left\./).waitFor();

    // Signed out, the password alone no longer signs in: the code step follows.
    await signOut(page);
    await typePassword(page, tess.email);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    const code = page.getByLabel('Code');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-code-1280');
    // A wrong code is said under the field, and the page stays.
    await code.fill(codeAt(secret, 9));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong code' }).waitFor();
    // The set-up took this period's code; the app's next one is within the window.
    await code.fill(codeAt(secret, 1));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await onDesk(page);

    await signOut(page);
    await typePassword(page, tess.email);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await onDesk(page);
    await page.goto(`${server.url}/settings/profile`);
    await page.getByText(/9 of 10 recovery codes left/).waitFor();
  });

  it('fits a phone: the set-up and the code step at 375 px, light and dark', async () => {
    const uma = { name: 'Uma Phone', email: 'uma@example.com', password: PASSWORD };
    await addAgent(server, admin.token, uma);
    const page = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true });
    await typePassword(page, uma.email);
    await onDesk(page);
    await page.goto(`${server.url}/settings/profile`);
    const { secret } = await setUpFromPage(page, 'two-factor-setup-375');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'two-factor-recovery-codes-375-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'I have saved them' }).click();

    await signOut(page);
    await typePassword(page, uma.email);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'two-factor-code-375');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-code-375-dark');
    await page.getByLabel('Code').fill(codeAt(secret, 1));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await onDesk(page);
  });

  it('when an admin requires it, an agent without it sees only the set-up screen', async () => {
    const vic = { name: 'Vic Late', email: 'vic@example.com', password: PASSWORD };
    await addAgent(server, admin.token, vic);
    // The admin turns it on for themselves (through the API: the page's way is tested above),
    // then requires it of everyone in Settings → Sign-in.
    const { secret } = await api<{ secret: string }>(server, 'POST', '/api/auth/two-factor/setup', {
      token: admin.token,
    });
    await api(server, 'POST', '/api/auth/two-factor/confirm', {
      token: admin.token,
      body: { code: codeAt(secret) },
    });
    const adminPage = await newPage({ viewport: { width: 1280, height: 900 } });
    await typePassword(adminPage, admin.user.email, ADMIN_PASSWORD);
    await adminPage.getByLabel('Code').fill(codeAt(secret, 1));
    await adminPage.getByRole('button', { name: 'Sign in' }).click();
    await onDesk(adminPage);
    await adminPage.goto(`${server.url}/settings/sign-in`);
    await adminPage.getByLabel('Require two-factor sign-in for everyone').check();
    await adminPage.getByText('Two-factor sign-in is required').waitFor();
    expect(await axeViolations(adminPage)).toEqual([]);
    await screenshot(adminPage, 'two-factor-policy-1280');

    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await typePassword(page, vic.email);
    await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
    // Nothing of the dashboard: no conversations, no navigation; sign out is there.
    expect(await page.getByRole('tab', { name: 'Mine' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Conversations' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-required-1280');
    await page.goto(`${server.url}/settings/api-tokens`);
    await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();

    await setUpFromPage(page, 'two-factor-required-setup-1280');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    // The dashboard, at the page that was asked for.
    await page.getByRole('link', { name: 'Conversations' }).first().waitFor();

    // Team page: the admin turns Vic's off (a lost phone); Vic is back to the set-up screen.
    await adminPage.goto(`${server.url}/settings/team`);
    const turnOff = adminPage.getByRole('button', {
      name: 'Turn off two-factor sign-in: Vic Late',
    });
    await turnOff.waitFor();
    expect(await axeViolations(adminPage)).toEqual([]);
    await screenshot(adminPage, 'two-factor-team-1280');
    await turnOff.click();
    await adminPage.getByText(/Two-factor sign-in is off for Vic Late/).waitFor();
    await expect.poll(() => turnOff.count()).toBe(0);
    // Vic's open dashboard gives way on its own, at once: the server ends its socket, whose
    // handshake is then refused, which has the page read Vic again (not the minute's check).
    await page
      .getByRole('heading', { name: 'Set up two-factor sign-in' })
      .waitFor({ timeout: 20_000 });
    expect(await page.getByRole('link', { name: 'Conversations' }).count()).toBe(0);
  });
});
