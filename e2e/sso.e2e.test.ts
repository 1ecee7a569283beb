import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startOidcProvider,
  type TestProvider,
} from '../packages/server/test/support/oidc-provider.js';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { overflow } from './support/layout.js';
import { watchPageErrors } from './support/page-errors.js';
import { api, registerAdmin } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// Single sign-on (issue 36, item 2), in the browser, against the tests' own OpenID provider
// (oidc-provider on 127.0.0.1, its development sign-in and consent pages): an admin sets it up
// in Settings → Sign-in and signs out; the sign-in page offers "Sign in with Acme ID"; a
// first-time person of an allowed domain goes through the provider's pages and lands signed in
// on the dashboard with an agent account of their own; "SSO only" hides the password form.

const SECRET = 'e2e-client-secret-41d7';
const PHONE = { width: 375, height: 812 };

let server: RunningServer;
let provider: TestProvider;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  provider = await startOidcProvider([
    {
      clientId: 'parley',
      clientSecret: SECRET,
      redirectUris: [`${server.url}/api/auth/sso/callback`],
    },
  ]);
  provider.accounts.set('ann', {
    email: 'ann@acme.example',
    emailVerified: true,
    name: 'Ann Acme',
  });
  provider.accounts.set('bo', { email: 'bo@acme.example', emailVerified: true, name: 'Bo Acme' });
  admin = await registerAdmin(server, 'Ada Admin');
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await provider?.close();
  await server?.stop();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(pageErrors).toEqual([]);
});

async function newPage(
  viewport = { width: 1280, height: 900 },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme });
  contexts.push(context);
  return watched(await withoutWebFonts(await context.newPage()));
}

/** The provider's development pages ask Google for a font, which this closed network refuses. */
async function withoutWebFonts(page: Page): Promise<Page> {
  await page.route('https://fonts.googleapis.com/**', (r) =>
    r.fulfill({ contentType: 'text/css', body: '' }),
  );
  return page;
}

/** The provider's development pages: any login name is that account; then consent. */
async function throughProvider(page: Page, login: string, shot?: string) {
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  if (shot) await screenshot(page, shot);
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

const ssoCard = (page: Page) =>
  page.locator('section').filter({ has: page.getByRole('heading', { name: 'Single sign-on' }) });

describe('single sign-on', () => {
  it('an admin sets it up in Settings → Sign-in; a new person of an allowed domain signs in through the provider', async () => {
    const page = await signInPage(browser, contexts, {
      url: server.url,
      email: admin.user.email,
      password: 'correct horse battery',
    });
    watched(await withoutWebFonts(page));
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`${server.url}/settings/sign-in`);
    const card = ssoCard(page);
    await card.getByTestId('sso-redirect-uri').waitFor();
    expect(await card.getByTestId('sso-redirect-uri').textContent()).toBe(
      `${server.url}/api/auth/sso/callback`,
    );
    await card.getByLabel('Offer single sign-on').check();
    await card.getByLabel('Provider name').fill('Acme ID');
    await card.getByLabel('Issuer URL').fill(provider.issuer);
    await card.getByLabel('Client ID').fill('parley');
    await card.getByLabel('Client secret').fill(SECRET);
    await card.getByLabel(/People with a verified address/).check();
    await card.getByLabel('Allowed email domains').fill('acme.example');
    await card.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Single sign-on saved').waitFor();
    // The secret is write-only: the field empties and says it is set.
    await expect.poll(() => card.getByLabel('Client secret').inputValue()).toBe('');
    await card.getByText('Set. It is never shown').waitFor();
    expect(await page.content()).not.toContain(SECRET);
    expect(await axeViolations(page)).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'sso-settings-1280');

    // Signed out, the sign-in page offers the provider beside the password.
    await page.getByRole('button', { name: 'Sign out' }).click();
    const button = page.getByRole('link', { name: 'Sign in with Acme ID' });
    await button.waitFor();
    expect(await page.getByLabel('Password').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sso-login-1280');

    // A first-time person (ann@acme.example) goes through the provider and lands signed in.
    await button.click();
    await throughProvider(page, 'ann', 'sso-provider-1280');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/conversations');
    await screenshot(page, 'sso-landed-1280');
    const team = await api<{ items: Array<{ email: string; role: string; name: string }> }>(
      server,
      'GET',
      '/api/users',
      { token: admin.token },
    );
    expect(team.items.find((u) => u.email === 'ann@acme.example')).toMatchObject({
      role: 'agent',
      name: 'Ann Acme',
    });
  });

  it('on a phone, signs in through the provider; with "SSO only", the password form gives way', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await throughProvider(page, 'bo', 'sso-provider-375');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'sso-landed-375');

    await api(server, 'PATCH', '/api/settings/sso', {
      token: admin.token,
      body: { ssoOnly: true, breakGlassUserId: admin.user.id },
    });
    const login = await newPage(PHONE);
    await login.goto(`${server.url}/login`);
    await login.getByRole('link', { name: 'Sign in with Acme ID' }).waitFor();
    expect(await login.getByLabel('Password').isVisible()).toBe(false);
    expect(await axeViolations(login)).toEqual([]);
    expect(await overflow(login)).toBeLessThanOrEqual(0);
    await screenshot(login, 'sso-only-login-375');
    // The break-glass admin's way in.
    await login.getByRole('button', { name: 'Admin sign-in' }).click();
    await login.getByLabel('Email').fill(admin.user.email);
    await login.getByLabel('Password').fill('correct horse battery');
    await login.getByRole('button', { name: 'Sign in', exact: true }).click();
    await login.getByRole('button', { name: 'Sign out' }).waitFor();

    // A failure comes back to the sign-in page in words.
    const failed = await newPage(PHONE);
    await failed.goto(`${server.url}/api/auth/sso/callback?state=forged&code=x`);
    await failed.getByText('That sign-in took too long or was already used').waitFor();
    expect(new URL(failed.url()).pathname).toBe('/login');
    await screenshot(failed, 'sso-failed-375');
  });

  it('shows the settings on a phone, in the dark too', async () => {
    // "SSO only" is on: the admin signs in through "Admin sign-in".
    const page = await newPage(PHONE, 'dark');
    await page.goto(`${server.url}/login`);
    await page.getByRole('button', { name: 'Admin sign-in' }).click();
    await page.getByLabel('Email').fill(admin.user.email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${server.url}/settings/sign-in`);
    const card = ssoCard(page);
    const breakGlass = card.getByLabel('Break-glass admin (keeps their password)');
    expect(await breakGlass.inputValue()).toBe(admin.user.id);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await breakGlass.scrollIntoViewIfNeeded();
    await screenshot(page, 'sso-settings-375-dark');

    const login = await newPage({ width: 1280, height: 900 }, 'dark');
    await login.goto(`${server.url}/login?sso=not_allowed`);
    await login.getByText('There is no Parley account for your address').waitFor();
    expect(await axeViolations(login)).toEqual([]);
    await screenshot(login, 'sso-only-login-1280-dark');
  });
});
