import type { ConversationReply, VisitorListReply, VisitorSessionReply } from '@parley/protocol';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
import {
  AgentSession,
  api,
  eventually,
  listConversations,
  patchWidgetSettings,
  registerAdmin,
} from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { startStaticSite, type StaticSite } from './support/static-site.js';

// The widget as a visitor meets it: on a customer's page (127.0.0.1) of another origin than
// Parley (localhost), with an agent answering through the real API and socket.

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: { token: string; user: { name: string } };
let agent: AgentSession | null = null;
const contexts: BrowserContext[] = [];

const hostPage = (
  apiUrl: string,
  title: string,
  init = `{ apiUrl: '${apiUrl}' }`,
) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px Georgia,serif;margin:0;background:#f3efe6}main{padding:40px}
button{all:unset}iframe{border:8px solid red}</style></head>
<body><main><h1>Acme Outdoor</h1><p>Tents, stoves and everything for the trail.</p></main>
<script src="${apiUrl}/widget.js"></script>
<script>LiveChatWidget.init(${init});</script>
</body></html>`;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    // The proof of work at its default cost, as a visitor's phone meets it.
    startParley({ PROOF_OF_WORK_COST: '1000' }),
    launchBrowser(),
  ]);
  site = await startStaticSite({
    '/': hostPage(server.url, 'Acme Outdoor'),
    '/pricing': hostPage(server.url, 'Pricing · Acme Outdoor'),
    '/custom': hostPage(
      server.url,
      'Custom · Acme Outdoor',
      `{ apiUrl: '${server.url}', color: '#16a34a', position: 'left', text: { title: 'Talk to Acme' } }`,
    ),
  });
  admin = await registerAdmin(server, 'Alice Admin');
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function agentOnline(): Promise<AgentSession> {
  agent ??= await AgentSession.connect(server, admin.token);
  return agent;
}

async function agentsOffline() {
  agent?.close();
  agent = null;
  await eventually(
    () =>
      api<VisitorSessionReply>(server, 'POST', '/api/visitors/session', { body: {} }).then(
        (r) => !r.agentsOnline,
      ),
    'no agent online',
  );
}

type Visit = { page: Page; chat: FrameLocator; errors: string[]; context: BrowserContext };

/** A new visitor (fresh storage) on the customer's page, with console errors recorded. */
async function visit(path = '/', viewport = { width: 1280, height: 800 }): Promise<Visit> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.origin + path);
  await launcher(page).waitFor();
  return { page, chat: page.frameLocator('[data-parley-widget] iframe'), errors, context };
}

const launcher = (page: Page) => page.locator('[data-parley-widget] button.l');
const badge = (page: Page) => page.locator('[data-parley-widget] .b');
const frame = (page: Page) => page.locator('[data-parley-widget] iframe');
/** The element focused inside the widget's shadow root: the iframe or the launcher. */
const focusedInWidget = (page: Page) =>
  page.evaluate(
    () =>
      document.querySelector('[data-parley-widget]')?.shadowRoot?.activeElement?.tagName ?? null,
  );

async function openChat(v: Visit) {
  await launcher(v.page).click();
  await v.chat.locator('.app').waitFor();
}

async function send(chat: FrameLocator, text: string) {
  const composer = chat.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
}

const noPreChat = { preChat: { name: 'off', email: 'off', message: 'off' } } as const;

describe('the chat widget on a customer site', () => {
  it('pre-chat, send, typing both ways, a reply as text, unread badge, and a reload keeps it all', async () => {
    await patchWidgetSettings(server, admin.token, {
      preChat: { name: 'required', email: 'optional', message: 'off' },
      allowedOrigins: [],
    });
    const a = await agentOnline();
    const v = await visit();
    await screenshot(v.page, 'widget-closed');
    expect(await frame(v.page).isVisible()).toBe(false);

    await openChat(v);
    const name = v.chat.getByLabel('Name');
    await name.fill('Vera Visitor');
    await v.chat.getByRole('button', { name: 'Start chat' }).click();
    await send(v.chat, 'Hello, do you ship to Norway?');
    const first = await eventually(
      () => a.messages.find((m) => m.content === 'Hello, do you ship to Norway?'),
      'the agent to receive the first message',
    );
    const conversationId = first.conversationId;
    await v.chat.locator('.msg.mine', { hasText: 'ship to Norway' }).waitFor();

    // Sneak peek: what the visitor types reaches the agent before it is sent.
    await v.chat
      .getByLabel('Message', { exact: true })
      .pressSequentially('Also to Icel', { delay: 30 });
    await eventually(
      () =>
        a.typing.find(
          (t) => t.sender === 'visitor' && t.isTyping && t.draft?.startsWith('Also to'),
        ),
      'the visitor draft to reach the agent',
    );

    a.setTyping(conversationId, true);
    await v.chat.getByText('Alice Admin is typing…').waitFor();
    await screenshot(v.page, 'widget-open');

    await a.send(conversationId, 'Yes! <b>Free</b> shipping, see https://example.com/shipping.');
    const reply = v.chat.locator('.msg.theirs', { hasText: 'Free' });
    await reply.waitFor();
    expect(await reply.locator('.bubble').innerText()).toBe(
      'Yes! <b>Free</b> shipping, see https://example.com/shipping.',
    );
    expect(await reply.locator('b').count()).toBe(0);
    expect(await reply.locator('a').getAttribute('href')).toBe('https://example.com/shipping');
    expect(await reply.locator('.who').innerText()).toBe('Alice Admin');
    await v.chat.getByText('Alice Admin is typing…').waitFor({ state: 'detached' });

    // Closed: a new reply shows on the launcher's badge.
    await launcher(v.page).click();
    await frame(v.page).waitFor({ state: 'hidden' });
    await a.send(conversationId, 'Anything else I can help with?');
    await badge(v.page).filter({ hasText: '1' }).waitFor();
    expect(await launcher(v.page).getAttribute('aria-label')).toContain('1 unread');
    await screenshot(v.page, 'widget-unread');

    // A reload (or the next page of the site) resumes the same chat: history once, no form.
    await v.page.goto(site.origin + '/pricing');
    await badge(v.page).filter({ hasText: '1' }).waitFor();
    await openChat(v);
    await v.chat.getByText('Anything else I can help with?').waitFor();
    expect(await v.chat.locator('.msg', { hasText: 'ship to Norway' }).count()).toBe(1);
    expect(await v.chat.locator('.msg', { hasText: 'Free' }).count()).toBe(1);
    expect(await v.chat.getByLabel('Name').count()).toBe(0);
    expect(v.errors).toEqual([]);
  });

  it('a message typed offline waits in the outbox across a reload and arrives once', async () => {
    await patchWidgetSettings(server, admin.token, noPreChat);
    const a = await agentOnline();
    const v = await visit();
    await openChat(v);
    await send(v.chat, 'Before going offline');
    await eventually(
      () => a.messages.find((m) => m.content === 'Before going offline'),
      'first message',
    );

    await v.context.setOffline(true);
    // The header says why nothing arrives while the connection is down.
    await v.chat.getByRole('status').getByText('Reconnecting…').waitFor();
    await send(v.chat, 'Typed while offline');
    await v.chat
      .locator('.msg.mine', { hasText: 'Typed while offline' })
      .getByText('Waiting for connection…')
      .waitFor();

    // Online again, but the socket still cannot get through while the page reloads: the
    // message must come back from storage, not from the page's memory.
    await v.context.route('**/socket.io/**', (route) => route.abort());
    await v.context.setOffline(false);
    await v.page.reload();
    await v.chat
      .locator('.msg.mine', { hasText: 'Typed while offline' })
      .getByText('Waiting for connection…')
      .waitFor();
    expect(a.messages.filter((m) => m.content === 'Typed while offline')).toHaveLength(0);

    await v.context.unroute('**/socket.io/**');
    await eventually(
      () => a.messages.find((m) => m.content === 'Typed while offline'),
      'the outbox to be delivered',
      20_000,
    );
    await v.chat.getByText('Waiting for connection…').waitFor({ state: 'detached' });
    await v.page.waitForTimeout(1000);
    expect(a.messages.filter((m) => m.content === 'Typed while offline')).toHaveLength(1);
    await v.page.reload();
    await openChatIfClosed(v);
    await v.chat.locator('.msg', { hasText: 'Typed while offline' }).waitFor();
    expect(await v.chat.locator('.msg', { hasText: 'Typed while offline' }).count()).toBe(1);
    expect(await v.chat.locator('.msg', { hasText: 'Before going offline' }).count()).toBe(1);
  });

  it('with no agent online, the launcher says so and the offline form leaves a pending conversation', async () => {
    await patchWidgetSettings(server, admin.token, noPreChat);
    await agentsOffline();
    const v = await visit();
    const away = v.page.locator('[data-parley-widget] .a');
    await away.waitFor();
    expect(await away.innerText()).toBe("We're away · leave a message");
    await screenshot(v.page, 'widget-away-closed');

    await openChat(v);
    await v.chat.getByLabel('Email').fill('nora@example.com');
    await v.chat
      .getByLabel('Message', { exact: true })
      .fill('Please call me back about my order 1234.');
    await screenshot(v.page, 'widget-offline');
    // Nobody is there: the server asks a proof of work, which the widget solves in a chunk it
    // fetches only then (issue 36), and the message goes with it.
    const solver: string[] = [];
    v.page.on('request', (r) => {
      if (r.url().includes('part-proof-of-work')) solver.push(r.url());
    });
    const clicked = Date.now();
    await v.chat.getByRole('button', { name: 'Leave a message' }).click();
    await v.chat.getByText('will answer here when').waitFor();
    await v.chat.locator('.msg.mine', { hasText: 'order 1234' }).waitFor();

    const pending = await eventually(async () => {
      const list = await listConversations(server, admin.token, 'status=pending');
      return list.items.find((c) => c.visitor.email === 'nora@example.com');
    }, 'a pending conversation for the team');
    console.log(
      `offline form: stored, with its proof of work, ${Date.now() - clicked} ms after the click`,
    );
    expect(solver).toHaveLength(1);
    expect(pending.lastMessage?.content).toBe('Please call me back about my order 1234.');
  });

  it('a closed chat offers a rating, then a new chat', async () => {
    await patchWidgetSettings(server, admin.token, noPreChat);
    const a = await agentOnline();
    const v = await visit();
    await openChat(v);
    await send(v.chat, 'Where is my parcel?');
    const first = await eventually(
      () => a.messages.find((m) => m.content === 'Where is my parcel?'),
      'message',
    );

    await api(server, 'PATCH', `/api/conversations/${first.conversationId}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    await v.chat.getByText('This chat has ended. How was it?').waitFor();
    await v.chat.getByRole('radio', { name: 'Good' }).click();
    await v.chat.getByLabel('Comment (optional)').fill('Quick and kind');
    await screenshot(v.page, 'widget-rating');
    await v.chat.getByRole('button', { name: 'Send rating' }).click();
    await v.chat.getByText('Thanks for your feedback!').waitFor();
    const { conversation } = await api<ConversationReply>(
      server,
      'GET',
      `/api/conversations/${first.conversationId}`,
      {
        token: admin.token,
      },
    );
    expect(conversation.rating).toBe('up');
    expect(conversation.ratingComment).toBe('Quick and kind');

    await v.chat.getByRole('button', { name: 'Start a new chat' }).click();
    expect(await v.chat.locator('.msg', { hasText: 'Where is my parcel?' }).count()).toBe(0);
    await send(v.chat, 'One more question');
    const next = await eventually(
      () => a.messages.find((m) => m.content === 'One more question'),
      'new chat',
    );
    expect(next.conversationId).not.toBe(first.conversationId);
  });

  it('on a phone the open chat fills the screen; focus stays inside and Escape closes', async () => {
    await patchWidgetSettings(server, admin.token, noPreChat);
    await agentOnline();
    const v = await visit('/', { width: 375, height: 740 });
    await openChat(v);
    await v.page.waitForTimeout(300); // the opening transition, for the screenshot
    expect(await frame(v.page).boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 740 });
    await screenshot(v.page, 'widget-mobile');

    const composer = v.chat.getByLabel('Message', { exact: true });
    await composer.focus();
    for (let i = 0; i < 5; i++) {
      await v.page.keyboard.press('Tab');
      expect(await focusedInWidget(v.page)).toBe('IFRAME');
    }
    await v.page.keyboard.press('Escape');
    await frame(v.page).waitFor({ state: 'hidden' });
    expect(await focusedInWidget(v.page)).toBe('BUTTON');
  });

  it('the JS API: init options over the settings, open, close, on, setVisitor, destroy', async () => {
    await patchWidgetSettings(server, admin.token, noPreChat);
    const a = await agentOnline();
    const v = await visit('/custom');
    expect((await launcher(v.page).boundingBox())?.x).toBeLessThan(100);
    expect(await launcher(v.page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(22, 163, 74)',
    );

    await v.page.evaluate(() => {
      const w = window as any;
      w.events = [];
      w.LiveChatWidget.on('open', () => w.events.push('open'));
      w.LiveChatWidget.on('close', () => w.events.push('close'));
      w.LiveChatWidget.on('message', (m: any) => w.events.push(`message:${m.sender}:${m.content}`));
      w.LiveChatWidget.setVisitor({ name: 'Sam Site', email: 'sam@example.com' });
      w.LiveChatWidget.open();
    });
    await v.chat.getByRole('heading', { name: 'Talk to Acme' }).waitFor();
    await send(v.chat, 'Hi from the site API');
    const first = await eventually(
      () => a.messages.find((m) => m.content === 'Hi from the site API'),
      'the message',
    );
    await a.send(first.conversationId, 'Hello Sam');
    const events = () => v.page.evaluate(() => (window as any).events as string[]);
    await eventually(
      async () => (await events()).includes('message:agent:Hello Sam'),
      'on(message)',
    );
    const { conversation } = await api<ConversationReply>(
      server,
      'GET',
      `/api/conversations/${first.conversationId}`,
      { token: admin.token },
    );
    expect(conversation.visitor).toMatchObject({ name: 'Sam Site', email: 'sam@example.com' });

    await v.page.evaluate(() => (window as any).LiveChatWidget.close());
    await frame(v.page).waitFor({ state: 'hidden' });
    expect((await events()).filter((e) => e === 'open' || e === 'close')).toEqual([
      'open',
      'close',
    ]);
    await v.page.evaluate(() => (window as any).LiveChatWidget.destroy());
    expect(await v.page.locator('[data-parley-widget]').count()).toBe(0);
  });

  it('the /demo page shows the widget at once, under its strict CSP', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}/demo`);
    await launcher(page).click();
    await page
      .frameLocator('[data-parley-widget] iframe')
      .getByLabel('Message', { exact: true })
      .waitFor();
    expect(errors).toEqual([]);
  });

  it('reports the page on load and on pushState navigation', async () => {
    await agentOnline();
    const v = await visit();
    await v.page.evaluate(() => {
      history.pushState({}, '', '/pricing?plan=pro');
      document.title = 'Pro plan';
    });
    const seen = await eventually(async () => {
      const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors', {
        token: admin.token,
      });
      return items.find((i) => i.currentUrl === `${site.origin}/pricing?plan=pro`);
    }, 'the page view');
    expect(seen.currentTitle).toBe('Pro plan');
  });

  it('only the allowed sites get the chat and its socket', async () => {
    await patchWidgetSettings(server, admin.token, {
      allowedOrigins: ['https://shop.example.com'],
    });
    try {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(site.origin + '/');
      await page.waitForTimeout(2000);
      expect(await launcher(page).isVisible()).toBe(false);

      const { visitorToken } = await api<VisitorSessionReply>(
        server,
        'POST',
        '/api/visitors/session',
        { body: {} },
      );
      const connectFrom = (origin: string) =>
        new Promise<string>((resolve) => {
          const socket = io(`${server.url}/visitor`, {
            auth: { visitorToken },
            transports: ['websocket'],
            forceNew: true,
            reconnection: false,
            extraHeaders: { origin },
          });
          socket.once('connect', () => resolve('connected'));
          socket.once('connect_error', (e) =>
            resolve(String((e as { data?: { code?: string } }).data?.code)),
          );
          setTimeout(() => socket.disconnect(), 5000);
        });
      expect(await connectFrom('https://elsewhere.example')).toBe('forbidden');
      expect(await connectFrom('https://shop.example.com')).toBe('connected');
    } finally {
      await patchWidgetSettings(server, admin.token, { allowedOrigins: [] });
    }
  });
});

async function openChatIfClosed(v: Visit) {
  // Once the launcher shows, a chat that was open on the last page is open again: only then is
  // it known whether a click would open it or close it.
  await launcher(v.page).waitFor();
  if (!(await frame(v.page).isVisible())) await openChat(v);
  else await v.chat.locator('.app').waitFor();
}
