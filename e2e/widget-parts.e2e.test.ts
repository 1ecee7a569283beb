import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../packages/server/test/support/smtp.js';
import { launchBrowser, screenshot } from './support/browser.js';
import {
  AgentSession,
  api,
  eventually,
  patchWidgetSettings,
  registerAdmin,
} from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { asyncSnippet, startStaticSite, type StaticSite } from './support/static-site.js';

// Issue 33: what most visitors never use (files, the rating form, the transcript, the site's
// setUser) is a part of the chat fetched on first use. Opening the chat and chatting fetch none;
// a part that cannot be fetched is said where it would be, and asked for again on the next try.

let server: RunningServer;
let smtp: TestSmtp;
let site: StaticSite;
let browser: Browser;
let admin: { token: string };
let agent: AgentSession;
const contexts: BrowserContext[] = [];
const PART = /\/widget\/assets\/part-([a-z-]+)-[\w-]{8}\.(?:js|css)/;

beforeAll(async () => {
  [smtp, browser] = await Promise.all([startSmtp(), launchBrowser()]);
  // With email on, a closed chat offers its transcript too.
  server = await startParley({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme Support <help@acme.test>' });
  site = await startStaticSite({
    '/': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Outdoor</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Acme Outdoor</h1></main>
${asyncSnippet(server.url, [`LiveChatWidget.init({ apiUrl: '${server.url}' });`])}</body></html>`,
  });
  admin = await registerAdmin(server, 'Alice Admin');
  await patchWidgetSettings(server, admin.token, {
    preChat: { name: 'off', email: 'off', message: 'off' },
  });
  agent = await AgentSession.connect(server, admin.token);
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
  await smtp?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A new visitor with the chat open, and the parts of the chat the page has fetched so far. */
async function visit() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const requested: string[] = [];
  page.on('request', (r: Request) => {
    const part = PART.exec(r.url())?.[1];
    if (part) requested.push(part);
  });
  await page.goto(site.origin);
  await page.locator('[data-parley-widget] button.l').click();
  const chat = page.frameLocator('[data-parley-widget] iframe');
  await chat.getByLabel('Message', { exact: true }).waitFor();
  const frame = () => {
    const found = page.frames().find((f) => f.url().startsWith(server.url));
    if (!found) throw new Error('no widget frame');
    return found;
  };
  return { page, chat, frame, errors, parts: () => [...new Set(requested)].sort() };
}
type Visit = Awaited<ReturnType<typeof visit>>;

/** Refuses the part's files until the returned function is called. */
async function unreachable(page: Page, part: string) {
  const pattern = `**/widget/assets/part-${part}-*`;
  await page.context().route(pattern, (route) => route.abort());
  return () => page.context().unroute(pattern);
}

async function sayAndWait(v: Visit, text: string) {
  const composer = v.chat.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  return eventually(() => agent.messages.find((m) => m.content === text), 'the agent to get it');
}

describe('parts of the chat fetched on first use', () => {
  it('the rating and the transcript come when a chat closes; a failed fetch is said and tried again', async () => {
    const v = await visit();
    const asked = await sayAndWait(v, 'Where is my parcel?');
    await v.chat.locator('.msg.mine .meta time').waitFor();
    // Opening the chat and chatting fetch none of them.
    expect(v.parts()).toEqual([]);

    const reachable = await unreachable(v.page, 'rating');
    await api(server, 'PATCH', `/api/conversations/${asked.conversationId}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    await v.chat
      .getByRole('alert')
      .getByText('This part of the chat could not be loaded.')
      .waitFor();
    // Not stuck: the visitor can still start over.
    await v.chat.getByRole('button', { name: 'Start a new chat' }).waitFor();
    await screenshot(v.page, 'parts-failed');

    await reachable();
    await v.chat.getByRole('button', { name: 'Try again' }).click();
    await v.chat.getByText('This chat has ended. How was it?').waitFor();
    await v.chat.getByRole('button', { name: 'Email me this chat' }).waitFor();
    expect(await v.chat.getByRole('alert').count()).toBe(0);
    // With its stylesheet, which failed the first time too: round thumbs, not bare buttons.
    const thumb = v.chat.getByRole('radio', { name: 'Good' });
    expect(await thumb.evaluate((el) => getComputedStyle(el).borderRadius)).toBe('50%');
    await screenshot(v.page, 'parts-rating');
    await v.page.setViewportSize({ width: 375, height: 740 });
    await v.page.waitForTimeout(300); // the full-screen layout, for the screenshot
    await screenshot(v.page, 'parts-rating-375');

    await v.chat.getByRole('button', { name: 'Email me this chat' }).click();
    await v.chat.getByLabel('Your email').waitFor();
    await screenshot(v.page, 'parts-transcript-375');
    await v.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(v.page, 'parts-transcript');
    expect(v.parts()).toEqual(['rating', 'transcript']);

    // Asking sends an email on the visitor's word: the server asks a proof of work first, which
    // the widget solves in a part of its own, then the code goes out (issue 36).
    await v.chat.getByLabel('Your email').fill('parcel@example.com');
    await v.chat.getByLabel('Your email').press('Enter');
    await v.chat.getByText('We emailed a code to parcel@example.com').waitFor();
    expect(v.parts()).toEqual(['proof-of-work', 'rating', 'transcript']);
    await expect
      .poll(() => smtp.received.filter((m) => m.to?.text === 'parcel@example.com').length)
      .toBe(1);
    expect(v.errors).toEqual([]);
  });

  it('attaching a file fetches the files part; a file it could not take says so, the next one goes', async () => {
    const v = await visit();
    const reachable = await unreachable(v.page, 'files');
    const attach = async (name: string) => {
      const [chooser] = await Promise.all([
        v.page.waitForEvent('filechooser'),
        v.chat.getByRole('button', { name: 'Attach files' }).click(),
      ]);
      await chooser.setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('Order 1042') });
    };
    await attach('receipt.txt');
    await v.chat.locator('.chips li.bad').getByText('receipt.txt could not be uploaded').waitFor();

    await reachable();
    await attach('order.txt');
    const chip = v.chat.locator('.chips li:not(.bad)');
    await chip.getByText('order.txt').waitFor();
    await v.frame().waitForFunction(() => !document.querySelector('.chips progress'));
    await v.chat.getByLabel('Message', { exact: true }).fill('My receipt, as asked');
    await screenshot(v.page, 'parts-file-attached');
    await v.page.setViewportSize({ width: 375, height: 740 });
    await v.page.waitForTimeout(300);
    await screenshot(v.page, 'parts-file-attached-375');

    await v.chat.getByRole('button', { name: 'Remove receipt.txt' }).click();
    await v.chat.getByRole('button', { name: 'Send' }).click();
    const sent = v.chat.locator('.msg.mine', { hasText: 'My receipt, as asked' });
    const card = sent.locator('.file', { hasText: 'order.txt' });
    // Once stored (its time shown): until then the line is the outbox's, which the stored
    // message replaces, and a card read as that happens is no longer in the page.
    await sent.locator('.meta time').waitFor();
    await card.waitFor();
    // Drawn as a card: the part's stylesheet came with it, though the first try had failed.
    expect(await card.evaluate((el) => getComputedStyle(el).display)).toBe('grid');
    await screenshot(v.page, 'parts-file-sent-375');
    expect(v.parts()).toEqual(['files']);
    expect(v.errors).toEqual([]);
  });
});
