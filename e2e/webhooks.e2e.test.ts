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
import { watchPageErrors } from './support/page-errors.js';
import { overflow } from './support/layout.js';

// Settings → Webhooks, driven in the browser against the built server and a real receiver on
// 127.0.0.1 (allowed here by WEBHOOKS_ALLOW_PRIVATE): add an endpoint, take its secret, send a
// test event, see a failure in the log and retry it, open a delivery's attempts and body and
// resend a delivered event, on a desktop and on a phone.

let receiver: WebhookReceiver;
let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();

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

/** The toasts of what was just done have gone (they would cover a screenshot). */
const toastsGone = (page: Page) =>
  expect
    .poll(() => page.getByText(/is being sent again|Test event queued/).count(), {
      timeout: 10_000,
    })
    .toBe(0);

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
    // This server sends to private addresses (WEBHOOKS_ALLOW_PRIVATE): the form says so.
    await page.getByText('this server also sends to private and local ones').waitFor();
    expect(await page.getByText('Public http(s) addresses only').count()).toBe(0);
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

    // The retried delivery, opened: each attempt with its answer, the event id, the body. Its
    // line counts both attempts, the retry's going on from the first (at the log's next
    // refresh, every 3 s).
    const rows = log.getByTestId('delivery');
    const retried = rows.first();
    await expect.poll(() => retried.textContent()).toContain('2 attempts');
    await retried.getByRole('button', { name: 'Details' }).click();
    const attempts = retried.getByTestId('delivery-attempt');
    await expect.poll(() => attempts.count()).toBe(2);
    expect(await attempts.nth(0).textContent()).toMatch(/#1HTTP 500.*Answer: receiver is down/);
    expect(await attempts.nth(1).textContent()).toMatch(/#2HTTP 204/);
    const retriedEvent = receiver.processed[1];
    await retried.locator('code', { hasText: retriedEvent?.id ?? '-' }).waitFor();
    const body = retried.getByLabel('Event body');
    expect(await body.textContent()).toContain('"type": "ping"');

    // The first ping was delivered: resending it sends the same body again, signed afresh, and
    // the log shows the resend as a delivery of its own, of the same event.
    const firstPing = receiver.requests[0];
    await rows.last().getByRole('button', { name: 'Resend' }).click();
    await eventually(() => (receiver.requests.length > 3 ? true : undefined), 'the resent event');
    const resent = receiver.requests.at(-1);
    expect(resent?.raw).toBe(firstPing?.raw);
    expect(resent?.verified).toBe(true);
    await expect.poll(() => rows.count()).toBe(3);
    const resentRow = rows.first();
    await resentRow.getByText('resent', { exact: true }).waitFor();
    await resentRow.getByText('delivered', { exact: true }).waitFor({ timeout: 10_000 });
    await resentRow.getByRole('button', { name: 'Details' }).click();
    await resentRow.getByText('Sent again by an admin').waitFor();
    await resentRow.locator('code', { hasText: firstPing?.event.id ?? '-' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await toastsGone(page);
    await resentRow.scrollIntoViewIfNeeded();
    await screenshot(page, 'webhooks-details-1280');
    // The retried one is second now, its two attempts still open.
    const retriedRow = rows.nth(1);
    await retriedRow.getByTestId('delivery-attempt').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'webhooks-attempts-1280');

    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByText(receiver.secret).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'webhooks-375');
    // The opened deliveries on a phone: their buttons under them, attempts and body within the
    // screen.
    await resentRow.scrollIntoViewIfNeeded();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await toastsGone(page);
    await screenshot(page, 'webhooks-details-375');
    await retriedRow.getByTestId('delivery-attempt').last().scrollIntoViewIfNeeded();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'webhooks-attempts-375');

    // A turned-off endpoint is sent nothing: no delivery offers "Resend".
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('button', { name: 'Turn on' }).waitFor();
    await expect.poll(() => log.getByRole('button', { name: 'Resend' }).count()).toBe(0);
  });
});
