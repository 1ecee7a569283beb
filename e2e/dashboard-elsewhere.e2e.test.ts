import { randomUUID } from 'node:crypto';
import type {
  ConversationStartReply,
  VisitorClientEvents,
  VisitorServerEvents,
  VisitorSessionReply,
} from '@parley/protocol';
import type { Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../tools/local.mjs';
import { launchBrowser, screenshot } from './support/browser.js';
import { api, registerAdmin } from './support/parley-api.js';
import {
  startOidcProvider,
  type TestProvider,
} from '../packages/server/test/support/oidc-provider.js';
import { startParley, type RunningServer } from './support/server.js';
import { buildDashboard, serveDashboard } from './support/static-dashboard.js';
import { startWithProof } from '../packages/server/test/pow.js';

// The dashboard deployed apart from the API, as on a static host: built with
// VITE_PARLEY_API_URL, served from http://127.0.0.1:<port>, while the server is reached as
// http://localhost:<other port>, another site. The server lists the dashboard in
// DASHBOARD_ORIGINS; REST goes through CORS, the socket through the handshake's origin check,
// and the refresh cookie (SameSite=None; Secure; Partitioned) keeps the agent signed in.
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let server: RunningServer;
let dashboard: { origin: string; stop(): Promise<void> };
let browser: Browser;
let visitor: Socket<VisitorServerEvents, VisitorClientEvents> | undefined;
let provider: TestProvider | undefined;
let admin: Awaited<ReturnType<typeof registerAdmin>>;

beforeAll(async () => {
  const port = await freePort();
  server = await startParley({ DASHBOARD_ORIGINS: `http://127.0.0.1:${port}` });
  dashboard = await serveDashboard(await buildDashboard(server.url), port);
  browser = await launchBrowser();
  admin = await registerAdmin(server, 'Ada Admin');
}, 240_000);

afterAll(async () => {
  visitor?.disconnect();
  await provider?.close();
  await browser?.close();
  await dashboard?.stop();
  await server?.stop();
});

describe('the dashboard on another origin', () => {
  it('signs in, stays signed in across a reload, chats live and signs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/CORS|blocked/i.test(m.text())) refused.push(m.text());
    });

    await page.goto(`${dashboard.origin}/login`);
    await page.getByLabel('Email').fill(admin.user.email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Mine' }).waitFor();

    // The refresh cookie belongs to the API's site and crossed to it from the dashboard's.
    const [cookie] = await context.cookies(`${server.url}/api/auth/refresh`);
    expect(cookie).toMatchObject({
      name: 'parley_refresh',
      httpOnly: true,
      secure: true,
      sameSite: 'None',
    });

    // A reload forgets the access token (memory only): the cookie alone brings the session back.
    await page.reload();
    await page.getByRole('tab', { name: 'Mine' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

    // The agent's socket connects from the dashboard's origin: a visitor's message arrives live.
    // From an iPhone, which the visitor panel names (ua-parser-js) beside the chat.
    const session = (await fetch(`${server.url}/api/visitors/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': IPHONE_SAFARI },
      body: '{}',
    }).then((r) => r.json())) as VisitorSessionReply;
    visitor = io(`${server.url}/visitor`, {
      auth: { visitorToken: session.visitorToken },
      transports: ['websocket'],
    });
    await new Promise<void>((resolve) => visitor?.once('connect', () => resolve()));
    const started = await startWithProof(visitor, {
      content: 'Hello from afar',
      clientId: randomUUID(),
    });
    if (!started.ok) throw new Error(started.error.message);
    const { conversation } = started.data satisfies ConversationStartReply;
    await page.goto(`${dashboard.origin}/conversations/${conversation.id}`);
    await page.getByTestId('message').getByText('Hello from afar').waitFor();
    const sent = await visitor.timeout(5000).emitWithAck('message.send', {
      conversationId: conversation.id,
      content: 'Are you there?',
      clientId: randomUUID(),
    });
    expect(sent.ok).toBe(true);
    await page.getByTestId('message').getByText('Are you there?').waitFor();
    await page.getByText('iPhone (iOS 17.5)').waitFor();
    await page.getByText('Safari 17', { exact: true }).waitFor();
    await screenshot(page, 'dashboard-elsewhere');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(refused).toEqual([]);
    await context.close();
  });

  it('signs in through the identity provider and comes back to the dashboard, signed in', async () => {
    provider = await startOidcProvider([
      {
        clientId: 'parley',
        clientSecret: 'elsewhere-secret',
        redirectUris: [`${server.url}/api/auth/sso/callback`],
      },
    ]);
    provider.accounts.set('ann', {
      email: 'ann@acme.example',
      emailVerified: true,
      name: 'Ann Acme',
    });
    await api(server, 'PATCH', '/api/settings/sso', {
      token: admin.token,
      body: {
        enabled: true,
        name: 'Acme ID',
        issuer: provider.issuer,
        clientId: 'parley',
        clientSecret: 'elsewhere-secret',
        allowedDomains: ['acme.example'],
      },
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    // The provider's development pages ask Google for a font, which this closed network refuses.
    await page.route('https://fonts.googleapis.com/**', (r) =>
      r.fulfill({ contentType: 'text/css', body: '' }),
    );

    await page.goto(`${dashboard.origin}/login`);
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await page.waitForURL((url) => url.href.startsWith(provider!.issuer));
    await page.locator('input[name="login"]').fill('ann');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Back on the dashboard's own origin, not the server's, signed in as the new agent; the
    // ticket is gone from the address.
    await page
      .getByRole('heading', { name: /^No chats yet/ })
      .or(page.getByRole('tab', { name: 'Mine' }))
      .first()
      .waitFor();
    expect(new URL(page.url()).origin).toBe(dashboard.origin);
    expect(page.url()).not.toContain('#');
    await page
      .getByRole('button', { name: /Ann Acme/ })
      .or(page.getByText('Ann Acme'))
      .first()
      .waitFor();
    // The session is the dashboard's: a reload keeps it, by the cookie its own request set.
    await page.reload();
    await page
      .getByRole('heading', { name: /^No chats yet/ })
      .or(page.getByRole('tab', { name: 'Mine' }))
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    await screenshot(page, 'dashboard-elsewhere-sso');
    await context.close();
  });
});
