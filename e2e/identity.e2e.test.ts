import { createHmac } from 'node:crypto';
import type {
  ConversationReply,
  IdentitySecretReply,
  VisitorListReply,
  VisitorSessionReply,
} from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import {
  AgentSession,
  api,
  eventually,
  patchWidgetSettings,
  registerAdmin,
} from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { asyncSnippet, startStaticSite, type StaticSite } from './support/static-site.js';

// Issue 19, parts 4 and 5: verified visitors across devices, and the widget's JS API. Each
// browser context is a device of its own (its own storage); the shop is on another origin.

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: { token: string; user: { name: string; email: string } };
let agent: AgentSession;
const contexts: BrowserContext[] = [];
/** The verified customer's conversation, once the first test has made it. */
let verifiedConversationId = '';
/** The shop's signature of USER.id. */
let userHash = '';

const USER = { id: 'cust-1001', name: 'Vera Verified', email: 'vera@example.com' };

const page = (title: string, calls: string[]) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>Acme Outdoor</h1><p>Tents, stoves and everything for the trail.</p></main>
${asyncSnippet(server.url, calls)}</body></html>`;

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  admin = await registerAdmin(server, 'Alice Admin');
  await patchWidgetSettings(server, admin.token, {
    preChat: { name: 'off', email: 'off', message: 'off' },
  });
  agent = await AgentSession.connect(server, admin.token);
  const { secret: identitySecret } = await api<IdentitySecretReply>(
    server,
    'GET',
    '/api/settings/identity/secret',
    { token: admin.token },
  );
  const hash = createHmac('sha256', identitySecret).update(USER.id).digest('hex');
  userHash = hash;
  const init = `LiveChatWidget.init({ apiUrl: '${server.url}' });`;
  site = await startStaticSite({
    '/': page('Acme Outdoor', [init]),
    // The shop's account page, for a signed-in customer: its server signed the id.
    '/account': page('Your account', [
      init,
      `LiveChatWidget.setUser(${JSON.stringify({ ...USER, hash })});`,
      "LiveChatWidget.setCustomAttributes({ plan: 'pro', seats: 12, beta: true });",
    ]),
    // Someone who knows the customer's id and email, without the signature.
    '/impostor': page('Impostor', [init, `LiveChatWidget.setUser(${JSON.stringify(USER)});`]),
    // Every call made before widget.js arrives, in an order that shows.
    '/early': page('Early calls', [
      'window.log = [];',
      "LiveChatWidget.on('ready', function () { log.push('ready'); });",
      "LiveChatWidget.on('open', function () { log.push('open'); });",
      "LiveChatWidget.on('message', function (m) { log.push('message:' + m.content); });",
      "LiveChatWidget.on('unread', function (n) { log.push('unread:' + n); });",
      "LiveChatWidget.on('conversation.closed', function (e) { log.push('closed:' + e.conversationId); });",
      "LiveChatWidget.on('opne', function () {});",
      init,
      "LiveChatWidget.setLocale('de');",
      "LiveChatWidget.setLocale('es');",
      'LiveChatWidget.hide();',
      'LiveChatWidget.show();',
      'LiveChatWidget.hide();',
      "LiveChatWidget.setCustomAttributes({ plan: 'team' });",
      "LiveChatWidget.setCustomAttributes({ Plan: 'bad key' });",
      'LiveChatWidget.setUser({ name: 42 });',
      'window.queued = LiveChatWidget.q.length;',
    ]),
  });
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

/** A device of its own: a new browser context (its own storage), on the shop's `path`. */
async function device(path: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const p = await context.newPage();
  const errors: string[] = [];
  const warnings: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await p.goto(`${site.origin}${path}`);
  return { page: p, chat: p.frameLocator('[data-parley-widget] iframe'), errors, warnings };
}

const launcher = (p: Page) => p.locator('[data-parley-widget] button.l');
const composer = (d: Awaited<ReturnType<typeof device>>) =>
  d.chat.getByLabel('Message', { exact: true });

async function verifiedVisitor() {
  const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors', {
    token: admin.token,
  });
  return items.find((v) => v.externalId === USER.id);
}

describe('verified visitors on several devices', () => {
  it('the verified customer finds their chat on a second device; an unsigned claim of the same id and email sees none of it; reset forgets it', async () => {
    // Device 1: the customer asks, an agent answers.
    const phone = await device('/account', { width: 390, height: 800 });
    await launcher(phone.page).click();
    await composer(phone).fill('My order 1001 has not arrived');
    await composer(phone).press('Enter');
    const asked = await eventually(
      () => agent.messages.find((m) => m.content === 'My order 1001 has not arrived'),
      'the question at the agent',
    );
    verifiedConversationId = asked.conversationId;
    await agent.send(asked.conversationId, 'Sorry! It ships tomorrow, Vera.');
    await phone.chat.getByText('It ships tomorrow').waitFor();
    const verified = await eventually(verifiedVisitor, 'the verified visitor');
    expect(verified).toMatchObject({
      name: USER.name,
      email: USER.email,
      attributes: { plan: 'pro', seats: '12', beta: 'true' },
    });

    // Device 2: the same customer, signed in on their laptop: the same chat, with its history.
    const laptop = await device('/account');
    await launcher(laptop.page).click();
    await laptop.chat.getByText('My order 1001 has not arrived').waitFor();
    await laptop.chat.getByText('Sorry! It ships tomorrow, Vera.').waitFor();
    await composer(laptop).fill('Thanks, from my laptop');
    await composer(laptop).press('Enter');
    // The phone is the same visitor: the laptop's message reaches it live.
    await phone.chat.getByText('Thanks, from my laptop').waitFor();
    await screenshot(laptop.page, 'identity-second-device');

    // Device 3: the same id and email, unsigned. A visitor of its own, with nothing of hers.
    const impostor = await device('/impostor');
    await launcher(impostor.page).click();
    await composer(impostor).waitFor();
    await impostor.chat.getByText('Hi! How can we help you today?').waitFor();
    const theirs = await eventually(async () => {
      const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors', {
        token: admin.token,
      });
      return items.find((v) => v.email === USER.email && v.externalId === null);
    }, 'the unverified visitor');
    expect(theirs.id).not.toBe(verified.id);
    // Time for anything that might have come: sync, history, a late message.
    await impostor.page.waitForTimeout(1000);
    expect(await impostor.chat.getByText('My order 1001').count()).toBe(0);
    expect(await impostor.chat.getByText('It ships tomorrow').count()).toBe(0);
    await screenshot(impostor.page, 'identity-unverified-device');

    // On that browser, the customer now signs in for real (a single-page shop, no reload): the
    // chat starts over as the verified visitor, with her history.
    await impostor.page.evaluate(
      ([user, hash]) => {
        const w = window as any;
        w.readyAgain = false;
        w.LiveChatWidget.on('ready', () => (w.readyAgain = true));
        w.LiveChatWidget.setUser({ ...user, hash });
      },
      [USER, userHash] as const,
    );
    await impostor.page.waitForFunction(() => (window as any).readyAgain === true);
    await impostor.chat.getByText('Thanks, from my laptop').waitFor();
    await impostor.chat.getByText('My order 1001 has not arrived').waitFor();

    // The laptop signs out: a new anonymous visitor, nothing of the verified chat on screen.
    const tokenOf = (d: { page: Page }) =>
      d.page.evaluate(() => JSON.parse(localStorage.getItem('parley.token') ?? 'null'));
    const verifiedToken: string = await tokenOf(laptop);
    await laptop.page.evaluate(() => {
      const w = window as any;
      w.readyAgain = false;
      w.LiveChatWidget.on('ready', () => (w.readyAgain = true));
      w.LiveChatWidget.reset();
    });
    await laptop.page.waitForFunction(() => (window as any).readyAgain === true);
    await laptop.chat.getByText('Hi! How can we help you today?').waitFor();
    await laptop.page.waitForTimeout(1000);
    expect(await laptop.chat.getByText('My order 1001').count()).toBe(0);
    expect(await laptop.chat.getByText('Thanks, from my laptop').count()).toBe(0);
    // A new token, of a new anonymous visitor.
    const anonymousToken: string = await tokenOf(laptop);
    expect(anonymousToken).not.toBe(verifiedToken);
    const { visitor } = await api<VisitorSessionReply>(server, 'POST', '/api/visitors/session', {
      body: { visitorToken: anonymousToken },
    });
    expect(visitor.id).not.toBe(verified.id);
    expect(visitor.externalId).toBeNull();

    for (const d of [phone, laptop, impostor]) expect(d.errors).toEqual([]);
  });

  it('shows the agents a verified visitor with the site id and attributes in the visitor panel', async () => {
    expect(verifiedConversationId).not.toBe('');
    const desk = await signInPage(
      browser,
      contexts,
      { url: server.url, email: admin.user.email, password: 'correct horse battery' },
      { viewport: { width: 1440, height: 900 } },
    );
    await desk.goto(`${server.url}/conversations/${verifiedConversationId}`);
    const panel = desk.getByRole('complementary', { name: 'Visitor' });
    await panel.getByText('Verified', { exact: true }).waitFor();
    await panel.getByText(USER.id).waitFor();
    const attributes = panel.getByTestId('visitor-answers');
    await attributes.getByText('plan').waitFor();
    expect(await attributes.innerText()).toMatch(/plan\s+pro/);
    expect(await attributes.innerText()).toMatch(/seats\s+12/);
    await screenshot(desk, 'identity-visitor-panel');

    // Settings → Identity: the secret, hidden until revealed, and the switch.
    await desk.goto(`${server.url}/settings/identity`);
    const secret = desk.getByTestId('identity-secret');
    await secret.waitFor();
    expect(await secret.innerText()).toMatch(/^•+$/);
    // Revealed by the admin before (to sign USER's id, above), so the record says so.
    await desk.getByText(/Last revealed by Alice Admin/).waitFor();
    await desk.getByRole('button', { name: 'Reveal' }).click();
    await desk.waitForFunction(() =>
      /^[0-9a-f]{64}$/.test(
        document.querySelector('[data-testid="identity-secret"]')?.textContent ?? '',
      ),
    );
    await desk.getByRole('checkbox', { name: /Require verification/ }).waitFor();
    await screenshot(desk, 'identity-settings');
  });
});

describe('the JS API', () => {
  it('calls made before widget.js loads run in order; events fire; hide, show, setLocale and misuse warnings', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const p = await context.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
      if (m.type() === 'warning') warnings.push(m.text());
    });
    // widget.js arrives late: every call above was made on the stub.
    await p.route('**/widget.js', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await p.goto(`${site.origin}/early`);
    expect(await p.evaluate(() => (window as any).queued)).toBe(15);

    // `ready` was heard by a listener added before widget.js existed.
    await p.waitForFunction(() => (window as any).log.includes('ready'));
    // hide, show, hide, in that order: hidden. The chat runs all the same (presence).
    const host = p.locator('[data-parley-widget]');
    await expect.poll(() => host.evaluate((el) => getComputedStyle(el).display)).toBe('none');
    expect(await launcher(p).isVisible()).toBe(false);
    const visitor = await eventually(async () => {
      const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors?online=true', {
        token: admin.token,
      });
      return items.find((v) => v.attributes.plan === 'team');
    }, 'the hidden widget online, with its attributes');
    expect(visitor.currentTitle).toBe('Early calls');

    await p.evaluate(() => (window as any).LiveChatWidget.show());
    await launcher(p).waitFor();
    await p.evaluate(() => (window as any).LiveChatWidget.open());
    const chat = p.frameLocator('[data-parley-widget] iframe');
    // setLocale('de') then setLocale('es'): the last one wins, as they were made in order.
    await chat.getByRole('heading', { name: 'Chatea con nosotros' }).waitFor();
    await p.evaluate(() => (window as any).LiveChatWidget.setLocale('fr'));
    await chat.getByRole('heading', { name: 'Discutons' }).waitFor();

    // An agent starts a chat with the visitor: `message` and `unread` (once closed) fire.
    await p.evaluate(() => (window as any).LiveChatWidget.close());
    const { conversation } = await api<ConversationReply>(
      server,
      'POST',
      `/api/visitors/${visitor.id}/conversations`,
      {
        token: admin.token,
        body: { content: 'Need a hand choosing a tent?', clientId: crypto.randomUUID() },
      },
    );
    await p.waitForFunction(() =>
      (window as any).log.includes('message:Need a hand choosing a tent?'),
    );
    await p.waitForFunction(() => (window as any).log.includes('unread:1'));
    await api(server, 'PATCH', `/api/conversations/${conversation.id}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    await p.waitForFunction((id) => (window as any).log.includes(`closed:${id}`), conversation.id);
    const log: string[] = await p.evaluate(() => (window as any).log);
    expect(log.filter((e) => e === 'ready')).toEqual(['ready']);
    expect(log.filter((e) => e === 'open')).toEqual(['open']);
    expect(log.indexOf('ready')).toBeLessThan(log.indexOf('open'));

    // Misuse is said in the site's console, and nothing else broke.
    const said = (text: string) => warnings.some((w) => w.includes(text));
    expect(said('LiveChatWidget: on:')).toBe(true);
    expect(said('LiveChatWidget: setUser: id is needed')).toBe(true);
    await expect
      .poll(() =>
        said(
          'LiveChatWidget: setCustomAttributes: attributes.Plan: Lower-case letters, digits and _, starting with a letter',
        ),
      )
      .toBe(true);
    await p.evaluate(() => (window as any).LiveChatWidget.setLocale('xx-YY'));
    await expect.poll(() => said("setLocale: 'xx-YY'")).toBe(true);
    // The refused attributes' request is in the console as Chromium logs any 400; nothing else.
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });
});
