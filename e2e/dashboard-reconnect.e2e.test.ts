import { randomUUID } from 'node:crypto';
import type {
  ConversationStartReply,
  Message,
  VisitorClientEvents,
  VisitorServerEvents,
  VisitorSessionReply,
} from '@parley/protocol';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
import { startLink, type Link } from './support/link.js';
import { api, registerAdmin } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { startWithProof } from '../packages/server/test/pow.js';

// The agent's connection drops (here: the network between the browser and the server is cut
// for a while): the banner says so, and on reconnect `sync` brings what the visitor wrote
// meanwhile, once. (Another session of the same agent signing out no longer drops this tab:
// revoking one sign-in ends that one only, issue 32.)
let server: RunningServer;
let link: Link;
let browser: Browser;
let page: Page;
let visitor: Socket<VisitorServerEvents, VisitorClientEvents>;
let conversationId: string;

beforeAll(async () => {
  server = await startParley();
  link = await startLink(server.port);
  browser = await launchBrowser();
});

afterAll(async () => {
  visitor?.disconnect();
  await browser?.close();
  await link?.close();
  await server?.stop();
});

describe('the dashboard across a dropped connection', () => {
  it('shows a banner and catches up without duplicates', async () => {
    const admin = await registerAdmin(server, 'Ada Admin');
    const session = await api<VisitorSessionReply>(server, 'POST', '/api/visitors/session', {
      body: {},
    });
    visitor = io(`${server.url}/visitor`, {
      auth: { visitorToken: session.visitorToken },
      transports: ['websocket'],
    });
    await new Promise<void>((resolve) => visitor.once('connect', () => resolve()));
    const received: Message[] = [];
    visitor.on('message.created', (m) => received.push(m));
    const started = await startWithProof(visitor, {
      content: 'First question',
      clientId: randomUUID(),
    });
    if (!started.ok) throw new Error(started.error.message);
    conversationId = (started.data satisfies ConversationStartReply).conversation.id;

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    await page.goto(`${link.url}/login`);
    await page.getByLabel('Email').fill(admin.user.email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Mine' }).waitFor();
    await page.goto(`${link.url}/conversations/${conversationId}`);
    await page.getByTestId('message').getByText('First question').waitFor();

    // The network drops.
    link.cut();
    // The visitor writes while this tab is disconnected.
    const missed = await visitor.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: 'Are you still there?',
      clientId: randomUUID(),
    });
    expect(missed.ok).toBe(true);
    await page.getByText('Connection lost').waitFor();
    await screenshot(page, 'dashboard-reconnecting-1280');
    link.restore();

    // Reconnected with this tab's own session: the banner goes, the missed message appears once.
    await page.getByText('Connection lost').waitFor({ state: 'hidden', timeout: 20_000 });
    const missedBubble = page.getByTestId('message').getByText('Are you still there?');
    await missedBubble.waitFor();
    await page.waitForTimeout(500);
    expect(await missedBubble.count()).toBe(1);
    const reply = page.getByLabel('Reply to the visitor');
    await reply.fill('Yes, one moment');
    await reply.press('Enter');
    await expect.poll(() => received.some((m) => m.content === 'Yes, one moment')).toBe(true);
  });
});
