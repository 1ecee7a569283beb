import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { overflow } from './support/layout.js';
import { addAgent, api, registerAdmin } from './support/parley-api.js';
import { watchPageErrors } from './support/page-errors.js';
import { startParley, type RunningServer } from './support/server.js';

// Signed-in devices (issue 36, item 4), in the browser: an agent signed in on a laptop and a
// phone sees both under Profile and signs the phone out, which lands on the sign-in page at once;
// an admin signs an agent out everywhere from Settings → Team.

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();
const dee = { email: 'dee@example.com', password: 'a long unusual passphrase 91' };

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
  await addAgent(server, admin.token, { name: 'Dee Devices', ...dee });
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

const signIn = async (options = {}) =>
  watched(await signInPage(browser, contexts, { url: server.url, ...dee }, options));

const signedOut = (page: Page) =>
  page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });

describe('signed-in devices', () => {
  it('lists the laptop and the phone, and signs the phone out at once', async () => {
    const laptop = await signIn();
    const phone = await signIn({ viewport: { width: 375, height: 812 }, userAgent: IPHONE });
    await laptop.goto(`${server.url}/settings/profile`);
    const devices = laptop.getByTestId('signed-in-device');
    await expect.poll(() => devices.count()).toBe(2);
    const mine = devices.filter({ hasText: 'This device' });
    expect(await mine.count()).toBe(1);
    const theirs = devices.filter({ hasText: 'Safari 17' });
    expect(await theirs.textContent()).toMatch(/iOS 17\.5.*127\.0\.0\.1 \(this computer\)/);
    expect(await axeViolations(laptop)).toEqual([]);
    await theirs.scrollIntoViewIfNeeded();
    await screenshot(laptop, 'devices-1280');

    await theirs.getByRole('button', { name: /Sign out Safari 17/ }).click();
    await laptop.getByText(/was signed out/).waitFor();
    await expect.poll(() => devices.count()).toBe(1);
    // The phone needs its password again, without anyone touching it.
    await signedOut(phone);
    await phone.reload();
    await signedOut(phone);
    // The laptop goes on.
    await laptop.getByRole('link', { name: 'Conversations' }).first().click();
    expect(await laptop.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
  });

  it('shows the devices on a phone, where signing this one out is signing out', async () => {
    const phone = await signIn({ viewport: { width: 375, height: 812 }, userAgent: IPHONE });
    await phone.goto(`${server.url}/settings/profile`);
    const device = phone.getByTestId('signed-in-device').filter({ hasText: 'This device' });
    await device.scrollIntoViewIfNeeded();
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'devices-375');
    await device.getByRole('button', { name: 'Sign out this device' }).click();
    await signedOut(phone);
  });

  it('lets an admin sign an agent out everywhere from the team list', async () => {
    const laptop = await signIn();
    const adminPage = watched(
      await signInPage(browser, contexts, {
        url: server.url,
        email: (
          await api<{ user: { email: string } }>(server, 'GET', '/api/auth/me', {
            token: admin.token,
          })
        ).user.email,
        password: 'correct horse battery',
      }),
    );
    await adminPage.goto(`${server.url}/settings/team`);
    await adminPage.getByRole('button', { name: 'Sign out everywhere: Dee Devices' }).click();
    // This laptop, and the first test's, whose context closed without signing out.
    await adminPage.getByText('Dee Devices was signed out of 2 browsers').waitFor();
    await signedOut(laptop);
    await screenshot(adminPage, 'team-sign-out-everywhere-1280');
    // Again: nobody left to sign out, and it says so.
    await adminPage.getByRole('button', { name: 'Sign out everywhere: Dee Devices' }).click();
    await adminPage.getByText('Dee Devices had no browser signed in').waitFor();
  });
});
