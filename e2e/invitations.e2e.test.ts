import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { overflow } from './support/layout.js';
import { registerAdmin } from './support/parley-api.js';
import { watchPageErrors } from './support/page-errors.js';
import { startParley, type RunningServer } from './support/server.js';

// Invitations (issue 36, item 3), in the browser, with email off: the admin invites a person and
// copies the link; the person opens it in a browser of their own, sees who invited them,
// chooses their password and lands signed in. A revoked link says it no longer works.

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let adminPage: Page;
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Ada Admin');
  adminPage = watched(
    await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] },
    ),
  );
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

/** A browser of the invited person's own: nobody is signed in there. */
async function stranger(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, ...options });
  contexts.push(context);
  return watched(await context.newPage());
}

/** The admin invites someone from Settings → Team and reads the link shown once. */
async function invite(name: string, email: string, role: 'Agent' | 'Admin' = 'Agent') {
  await adminPage.goto(`${server.url}/settings/team`);
  await adminPage.getByLabel('Name', { exact: true }).fill(name);
  await adminPage.getByLabel('Email', { exact: true }).fill(email);
  await adminPage.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await adminPage.getByRole('button', { name: 'Create invitation link' }).click();
  return adminPage.getByTestId('invitation-link').innerText();
}

describe('invitations without email', () => {
  it('the admin copies the link; the person chooses a password and lands signed in', async () => {
    await adminPage.goto(`${server.url}/settings/team`);
    await adminPage.getByText('Email is off, so Parley cannot send the invitation').waitFor();
    // No field for a password: the admin never picks one.
    expect(await adminPage.getByLabel(/password/i).count()).toBe(0);

    const link = await invite('Bea Invited', 'bea@example.com');
    expect(link).toMatch(new RegExp(`^${server.url}/invite#[A-Za-z0-9_-]{43}$`));
    const panel = adminPage.getByRole('region', { name: 'Invitation link for Bea Invited' });
    await panel.getByRole('button', { name: 'Copy link' }).click();
    await panel.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await adminPage.evaluate(() => navigator.clipboard.readText())).toBe(link);
    const row = adminPage.getByTestId('invitation-bea@example.com');
    expect(await row.innerText()).toMatch(/Bea Invited[\s\S]*invited by Ada Admin[\s\S]*agent/);
    expect(await axeViolations(adminPage), 'team with a new link').toEqual([]);
    await screenshot(adminPage, 'invitations-link-1280');
    await adminPage.setViewportSize(PHONE);
    await screenshot(adminPage, 'invitations-link-375');
    expect(await overflow(adminPage)).toBeLessThanOrEqual(0);
    await adminPage.setViewportSize(DESKTOP);
    // Shown once: gone after Done and after a reload.
    await panel.getByRole('button', { name: 'Done' }).click();
    await adminPage.reload();
    await row.waitFor();
    expect(await adminPage.content()).not.toContain(link.split('#')[1]);

    const page = await stranger();
    await page.goto(link);
    await page.getByRole('heading', { name: /^Join / }).waitFor();
    await page
      .getByText('Ada Admin invited you, Bea Invited, to answer chats as an agent.')
      .waitFor();
    // The token has left the address bar.
    expect(new URL(page.url()).hash).toBe('');
    expect(await axeViolations(page), 'invitation page').toEqual([]);
    await screenshot(page, 'invitations-page-375');
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'invitations-page-1280');

    // The password policy applies: a guessable one is refused, and the link still works.
    await page.getByLabel('New password', { exact: true }).fill('password123');
    await page.getByLabel('Repeat new password').fill('password123');
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    await page
      .getByRole('alert')
      .getByText(/too easy to guess/)
      .waitFor();
    await screenshot(page, 'invitations-weak-1280');
    await page.getByLabel('New password', { exact: true }).fill('lantern harbour quietly 58');
    await page.getByLabel('Repeat new password').fill('lantern harbour quietly 58');
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    await page.getByRole('tab', { name: 'Mine' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/conversations');

    // The admin sees them in the team, and the invitation is gone.
    await adminPage.reload();
    await adminPage.getByTestId('team-bea@example.com').waitFor();
    expect(await row.count()).toBe(0);

    // The link was used: opened again, it says so.
    const again = await stranger();
    await again.goto(link);
    await again.getByRole('heading', { name: 'This invitation no longer works' }).waitFor();
  });

  it('a revoked link no longer works; a new link replaces the old one', async () => {
    const revoked = await invite('Rex Revoked', 'rex@example.com', 'Admin');
    await adminPage.getByRole('button', { name: 'Done' }).click();
    await adminPage
      .getByRole('button', { name: 'Revoke the invitation of rex@example.com' })
      .click();
    await adminPage.getByTestId('invitation-rex@example.com').waitFor({ state: 'detached' });

    const old = await invite('Nia New', 'nia@example.com');
    await adminPage.getByRole('button', { name: 'Done' }).click();
    await adminPage.getByRole('button', { name: 'Copy new link: nia@example.com' }).click();
    const renewed = await adminPage.getByTestId('invitation-link').innerText();
    expect(renewed).not.toBe(old);

    for (const [link, colorScheme] of [
      [revoked, 'light'],
      [old, 'dark'],
    ] as const) {
      const page = await stranger({ colorScheme });
      await page.goto(link);
      await page.getByRole('heading', { name: 'This invitation no longer works' }).waitFor();
      expect(await axeViolations(page), `dead link, ${colorScheme}`).toEqual([]);
      await screenshot(page, `invitations-dead-375-${colorScheme}`);
    }
    const page = await stranger({ colorScheme: 'dark' });
    await page.goto(renewed);
    await page.getByText('Ada Admin invited you, Nia New, to answer chats as an agent.').waitFor();
    await screenshot(page, 'invitations-page-375-dark');
  });
});
