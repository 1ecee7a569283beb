import { randomUUID } from 'node:crypto';
import type {
  ConversationStartReply,
  VisitorClientEvents,
  VisitorServerEvents,
  VisitorSessionReply,
} from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { api, registerAdmin } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { startWithProof } from '../packages/server/test/pow.js';

// An agent searches history: the hit shows the message with the words marked, and opens the
// conversation at that message, far back in a long chat. At desk width and on a phone.
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let visitor: Socket<VisitorServerEvents, VisitorClientEvents>;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let conversationId: string;
/** The message to find: third of a chat of 80, so not in the 50 a chat opens with. */
const NEEDLE = 'My blue kettle arrived broken, order INV-48213';
const NEEDLE_SEQ = 3;

beforeAll(async () => {
  server = await startParley();
  browser = await launchBrowser();
  admin = await registerAdmin(server, 'Ada Admin');
  const session = await api<VisitorSessionReply>(server, 'POST', '/api/visitors/session', {
    body: {},
  });
  visitor = io(`${server.url}/visitor`, {
    auth: { visitorToken: session.visitorToken },
    transports: ['websocket'],
  });
  await new Promise<void>((resolve) => visitor.once('connect', () => resolve()));
  const send = async (content: string) => {
    const reply = await visitor
      .timeout(5000)
      .emitWithAck('message.send', { conversationId, content, clientId: randomUUID() });
    if (!reply.ok) throw new Error(reply.error.message);
  };
  const started = await startWithProof(visitor, {
    content: 'Hello there',
    clientId: randomUUID(),
  });
  if (!started.ok) throw new Error(started.error.message);
  conversationId = (started.data satisfies ConversationStartReply).conversation.id;
  await send('I have a question about an order');
  await send(NEEDLE);
  // The rest from the agent: a visitor may send 40 messages in 10 seconds, an agent 100.
  for (let n = 4; n <= 80; n++) {
    await api(server, 'POST', '/api/messages', {
      token: admin.token,
      body: { conversationId, content: `Another line, number ${n}`, clientId: randomUUID() },
    });
  }
});

afterAll(async () => {
  visitor?.disconnect();
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

const signIn = (viewport: { width: number; height: number }) =>
  signInPage(
    browser,
    contexts,
    { url: server.url, email: admin.user.email, password: 'correct horse battery' },
    { viewport },
  );

/** Searches, checks the hit's marks, opens it; the message is on screen and marked. */
async function findAndOpen(page: Page, name: string) {
  await page.getByLabel('Search messages, names and emails').fill('kettle inv-482');
  const hit = page.getByTestId('search-hit');
  await hit.waitFor();
  expect(await hit.count()).toBe(1);
  expect(await hit.locator('mark').allTextContents()).toEqual(['kettle', 'INV-48213']);
  expect(await hit.textContent()).toContain(NEEDLE);
  await screenshot(page, `search-${name}-hits`);

  await hit.click();
  const url = new URL(page.url());
  expect(url.pathname).toBe(`/conversations/${conversationId}`);
  expect(url.searchParams.get('seq')).toBe(String(NEEDLE_SEQ));
  const message = page.locator(`[data-seq="${NEEDLE_SEQ}"]`);
  await message.waitFor();
  expect(await message.textContent()).toContain(NEEDLE);
  expect(await message.getAttribute('data-marked')).toBe('true');
  // Scrolled to it, and what came before and after it is there to read.
  await page.waitForFunction((seq) => {
    const el = document.querySelector(`[data-seq="${seq}"]`);
    const box = el?.getBoundingClientRect();
    return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight;
  }, NEEDLE_SEQ);
  await page.locator('[data-seq="1"]').waitFor({ state: 'attached' });
  await page.locator('[data-seq="80"]').waitFor({ state: 'attached' });
  await screenshot(page, `search-${name}-opened`);
  // The mark fades after a moment.
  await page.waitForFunction(
    (seq) => !document.querySelector(`[data-seq="${seq}"]`)?.hasAttribute('data-marked'),
    NEEDLE_SEQ,
    { timeout: 5000 },
  );
}

describe('searching history from the conversation list', () => {
  it('finds a message with its words marked and opens the chat at it', async () => {
    const page = await signIn({ width: 1280, height: 860 });
    await findAndOpen(page, '1280');
    // The list is still the search's: another search replaces the hits.
    await page.getByLabel('Search messages, names and emails').fill('xylograph');
    await page.getByText('Nothing found for “xylograph”.').waitFor();
  });

  it('does the same on a phone, the chat in place of the list', async () => {
    const page = await signIn({ width: 375, height: 740 });
    await findAndOpen(page, '375');
    expect(await page.getByLabel('Search messages, names and emails').isVisible()).toBe(false);
    await page.getByRole('link', { name: 'Back to conversations' }).click();
    await page.getByLabel('Search messages, names and emails').waitFor();
  });
});
