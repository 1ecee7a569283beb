import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../packages/server/test/support/webhook-receiver.js';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { eventually, registerAdmin } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// Settings → Webhooks, driven in the browser against the built server and a real receiver on
// 127.0.0.1 (allowed here by WEBHOOKS_ALLOW_PRIVATE): add an endpoint, take its secret, send a
// test event, see a failure in the log and retry it, on a desktop and on a phone.

let receiver: WebhookReceiver;
let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  [receiver, browser] = await Promise.all([startWebhookReceiver(), launchBrowser()]);
  server = await startParley({ WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOKS_RETRY_DELAY_MS: '200' });
  admin = await registerAdmin(server, 'Alice Admin');
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  await receiver?.close();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

function watched(page: Page): Page {
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()))
      pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  return page;
}

/** Nothing on the page is wider than the screen. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('Settings → Webhooks', () => {
  it('adds an endpoint, sends a test event, and retries a failed delivery', async () => {
    const page = watched(
      await signInPage(
        browser,
        contexts,
        { url: server.url, email: admin.user.email, password: 'correct horse battery' },
        { viewport: { width: 1280, height: 900 } },
      ),
    );
    await page.goto(`${server.url}/settings/webhooks`);
    await page.getByRole('button', { name: 'Add endpoint' }).first().click();
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByLabel(/A chat is closed/).check();
    await page.getByRole('button', { name: 'Add endpoint' }).last().click();

    // The secret is shown once added; the receiver verifies with it.
    const notice = page.getByRole('status').filter({ hasText: 'signing secret' });
    receiver.secret = (await notice.locator('code').textContent()) ?? '';
    expect(receiver.secret).toMatch(/^whsec_/);
    const row = page.getByTestId('webhook-endpoint');
    await expect.poll(() => row.textContent()).toContain('A chat is closed');

    await page.getByRole('button', { name: 'Send test event' }).click();
    const log = page.getByRole('list', { name: 'Delivery log' });
    await log.getByText('delivered').waitFor();
    await eventually(() => receiver.processed[0], 'the ping');
    expect(receiver.processed[0]?.type).toBe('ping');

    receiver.answer = (_request, res) => res.writeHead(500).end('receiver is down');
    await page.getByRole('button', { name: 'Send test event' }).click();
    await log.getByText('HTTP 500: receiver is down').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'webhooks-1280');

    receiver.answer = (_request, res) => res.writeHead(204).end();
    await page.getByRole('button', { name: 'Retry now' }).click();
    await eventually(() => (receiver.processed.length === 2 ? true : undefined), 'the retry');
    await expect.poll(() => log.getByText('failed').count(), { timeout: 10_000 }).toBe(0);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByText(receiver.secret).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'webhooks-375');
  });
});
