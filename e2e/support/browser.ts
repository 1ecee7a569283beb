import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless. Without the background-networking flags it keeps trying to reach
 * Google's hosts, which this machine's closed network refuses many times a second.
 */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
}

/**
 * The same Chromium with a profile of its own in `dir`: a browser's contexts are incognito, where
 * Chromium installs no web app, so what it finds missing for one is asked of a profile.
 */
export function launchProfile(dir: string, options: BrowserContextOptions = {}) {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: chromiumArgs,
    ...options,
  });
}

/**
 * Screenshots go to $SCREENSHOT_DIR, or else e2e/screenshots/ (ignored by git), to be looked at
 * after a run.
 */
export const screenshotDir =
  process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, '..', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * A new browser context (closed by the caller through `contexts`) signed in to the dashboard at
 * `url` as `email`, on the conversations page.
 */
export async function signInPage(
  browser: Browser,
  contexts: BrowserContext[],
  login: { url: string; email: string; password: string },
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${login.url}/login`);
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The inbox: its tabs, or, at a phone's width before the first chat ever, the page on adding
  // the widget, which takes the whole screen (waiting for the tabs alone lost that race when
  // the list's answer came before they were seen).
  const inbox = page
    .getByRole('tab', { name: 'Mine' })
    .or(page.getByRole('heading', { name: /^No chats yet/ }));
  try {
    await inbox.first().waitFor();
  } catch (error) {
    // Say where the page was and what it showed.
    const shown = await page
      .locator('body')
      .innerText()
      .catch(() => '(unreadable)');
    await screenshot(page, `sign-in-failed-${Date.now()}`).catch(() => undefined);
    throw new Error(
      `Signed in as ${login.email}, the page is at ${page.url()} and shows: ${shown.slice(0, 600)}`,
      { cause: error },
    );
  }
  return page;
}
