import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushPayload } from '@parley/protocol';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, launchProfile, screenshot, signInPage } from './support/browser.js';
import { cutOff, overflow } from './support/layout.js';
import { addAgent, api, eventually, registerAdmin, VisitorSession } from './support/parley-api.js';
import { watchPageErrors } from './support/page-errors.js';
import { startParley, type RunningServer } from './support/server.js';
import { keptByWorker, notificationsIn, serviceWorkerOf } from './support/service-worker.js';
import {
  browserKeys,
  decryptPush,
  startPushService,
  type TestPushService,
} from '../packages/server/test/support/push-service.js';

// The dashboard as an app (issue 37, items 1 and 6), in the browser: Chromium finds nothing
// missing to install it; without the network a page of it is the offline page, not the
// browser's error, and the dashboard comes back with the network; and a push the server sent,
// read with its subscription's keys, is shown by the real service worker, replaced by the next
// push about the same conversation, and opens the conversation when tapped.
//
// The browser cannot subscribe at a real push service here (no internet), so the subscription
// is the tests' own push service's, made through the API as a browser would, and what the server
// sent it is handed to the service worker by Chromium's DevTools protocol, as the push service
// would hand it to the browser.

let server: RunningServer;
let browser: Browser;
let pushService: TestPushService;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let pat: { id: string };
const contexts: BrowserContext[] = [];
const visitors: VisitorSession[] = [];
const { errors: pageErrors, watched } = watchPageErrors();
const login = { email: 'pat@example.com', password: 'a long unusual passphrase 37' };

beforeAll(async () => {
  pushService = await startPushService();
  [server, browser] = await Promise.all([
    startParley({ PUSH_SERVICES: pushService.origin, PUSH_INTERVAL_SECONDS: '1' }),
    launchBrowser(),
  ]);
  admin = await registerAdmin(server, 'Ada Admin');
  pat = (await addAgent(server, admin.token, { name: 'Pat Phone', ...login })).user;
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  await pushService?.close();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const visitor of visitors.splice(0)) visitor.close();
  expect(pageErrors).toEqual([]);
});

const signIn = async (options = {}) =>
  watched(await signInPage(browser, contexts, { url: server.url, ...login }, options));

/** Once the service worker has taken the page over (it claims open pages on activation). */
const controlled = (page: Page) =>
  page.waitForFunction(() => navigator.serviceWorker.controller !== null);

/** PNG's width and height, from its header. */
const pngSize = (bytes: Buffer) => `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;

async function fetchFile(path: string) {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), bytes: await res.bytes() };
}

describe('the dashboard as an app', () => {
  it('is installable: its manifest as Chromium wants it, with icons at the sizes it lists', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'parley-profile-'));
    const context = await launchProfile(profile);
    try {
      const page = watched(context.pages()[0] ?? (await context.newPage()));
      await page.goto(`${server.url}/login`);
      await controlled(page);
      const cdp = await context.newCDPSession(page);
      expect(await cdp.send('Page.getInstallabilityErrors')).toEqual({ installabilityErrors: [] });
      const { url, errors } = await cdp.send('Page.getAppManifest');
      expect({ url, errors }).toEqual({ url: `${server.url}/manifest.webmanifest`, errors: [] });

      const res = await fetch(url);
      expect(res.headers.get('content-type')).toContain('application/manifest+json');
      const manifest = (await res.json()) as {
        icons: { src: string; sizes: string; type: string; purpose?: string }[];
      };
      expect(manifest).toMatchObject({
        id: '/',
        name: 'Parley',
        short_name: 'Parley',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
        theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
      });
      expect(manifest.icons.map((i) => `${i.sizes} ${i.type} ${i.purpose ?? 'any'}`)).toEqual([
        'any image/svg+xml any',
        '192x192 image/png any',
        '512x512 image/png any',
        '512x512 image/png maskable',
      ]);
      // Each as the build drew it from the SVG, at the size the manifest says.
      for (const icon of manifest.icons) {
        const file = await fetchFile(icon.src);
        expect([icon.src, file.status, file.type]).toEqual([icon.src, 200, icon.type]);
        if (icon.type === 'image/png') expect(pngSize(Buffer.from(file.bytes))).toBe(icon.sizes);
      }

      // What the page itself names: iOS's icon, and the title bar's colour in each scheme.
      const head = await page.evaluate(() => ({
        appleIcon: document.querySelector<HTMLLinkElement>('link[rel="apple-touch-icon"]')?.href,
        themes: [...document.querySelectorAll('meta[name="theme-color"]')].map(
          (m) => `${m.getAttribute('media')} ${m.getAttribute('content')}`,
        ),
      }));
      expect(head.themes).toEqual([
        expect.stringMatching(/^\(prefers-color-scheme: light\) #[0-9a-f]{6}$/),
        expect.stringMatching(/^\(prefers-color-scheme: dark\) #[0-9a-f]{6}$/),
      ]);
      const appleIcon = await fetchFile(new URL(head.appleIcon ?? '').pathname);
      expect([appleIcon.status, pngSize(Buffer.from(appleIcon.bytes))]).toEqual([200, '180x180']);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('shows the offline page without the network, and the dashboard again when it is back', async () => {
    const page = await signIn({ viewport: { width: 1280, height: 800 } });
    await controlled(page);
    const offlinePage = page.getByRole('heading', { name: 'No connection to Parley' });
    const dashboard = page.getByRole('link', { name: 'Visitors' }).first();

    const network = networkOf(page);
    await network.off();
    await page.reload();
    await offlinePage.waitFor();
    expect(new URL(page.url()).pathname).toBe('/conversations');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: width === 375 ? 812 : 800 });
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await cutOff(page)).toEqual([]);
        await screenshot(page, `pwa-offline-${scheme}-${width}`);
      }
      expect(await axeViolations(page)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    // The scheme the agent chose in the dashboard holds here too.
    await page.evaluate(() => localStorage.setItem('parley.preferences', '{"theme":"dark"}'));
    await tryAgain(page);
    expect(
      await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
    ).toBe('rgb(6, 11, 27)');
    await page.evaluate(() => localStorage.removeItem('parley.preferences'));

    // Any page of the dashboard, opened offline, is the offline page at its own address.
    await page.goto(`${server.url}/visitors`);
    await offlinePage.waitFor();
    expect(new URL(page.url()).pathname).toBe('/visitors');
    // "Try again" asks again, and while offline gets the offline page again.
    await tryAgain(page);
    await offlinePage.waitFor();
    // The API is never answered from a cache: offline, it fails. What the worker keeps is the
    // offline page and what it shows, nothing the dashboard fetched.
    expect(await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status, String))).toMatch(
      /Failed to fetch/,
    );
    expect(await keptByWorker(page)).toEqual(['/offline.html', '/offline.js', '/favicon.svg']);

    // The network is back: "Try again" opens the page asked for.
    await network.on();
    await tryAgain(page);
    await dashboard.waitFor();
    expect(new URL(page.url()).pathname).toBe('/visitors');

    // And without a tap when the browser says it is online again (its `online` event, which the
    // test sends: the network is cut by failing requests, and the browser does not know).
    await network.off();
    await page.reload();
    await offlinePage.waitFor();
    await network.on();
    await Promise.all([
      page.waitForEvent('load'),
      page.evaluate(() => dispatchEvent(new Event('online'))),
    ]);
    await dashboard.waitFor();
    expect(await offlinePage.count()).toBe(0);

    // While offline, Chromium logs each request that failed (the dashboard's own, cut off by
    // the network, and the test's fetch): the network's errors, not the page's.
    const failedOffline = (e: string) => e.includes('net::ERR_INTERNET_DISCONNECTED');
    expect(pageErrors.some(failedOffline)).toBe(true);
    pageErrors.splice(0, Infinity, ...pageErrors.filter((e) => !failedOffline(e)));
  });

  it('shows the push the server sent, replaces it with the next one, and opens its chat', async () => {
    const page = await signIn({ viewport: { width: 1280, height: 800 } });
    await controlled(page);
    await page.context().grantPermissions(['notifications'], { origin: server.url });
    const worker = await serviceWorkerOf(page);

    // Pat's phone subscribes (its own sign-in; the laptop's dashboard is in view, and the server
    // does not push to a device whose dashboard is).
    const phone = await api<{ accessToken: string }>(server, 'POST', '/api/auth/login', {
      body: login,
    });
    const keys = browserKeys();
    await api(server, 'POST', '/api/push/subscriptions', {
      token: phone.accessToken,
      body: {
        endpoint: pushService.endpoint('phone'),
        keys: { p256dh: keys.p256dh, auth: keys.auth },
      },
    });
    const pushes = async (count: number) => {
      const sent = await eventually(() => {
        const toPhone = pushService.received.filter((p) => p.name === 'phone');
        return toPhone.length >= count && toPhone;
      }, `push ${count}`);
      return decryptPush(sent[count - 1]!.body, keys);
    };

    // A visitor's chat, which routing gives to Pat (the one agent online): pushed to the phone.
    const visitor = await VisitorSession.connect(server);
    visitors.push(visitor);
    await visitor.setDetails({ name: 'Vera Visitor' });
    const conversationId = await visitor.startChat('Do you ship to Oslo?');
    const first = await pushes(1);
    const tag = `conversation-${conversationId}`;
    const url = `/conversations/${conversationId}`;
    expect(JSON.parse(first) as PushPayload).toMatchObject({
      title: 'Assigned to you: Vera Visitor',
      body: 'Do you ship to Oslo?',
      tag,
      url,
      reason: 'assigned',
    });
    await worker.deliver(first);
    await expect
      .poll(() => notificationsIn(page))
      .toEqual([
        { title: 'Assigned to you: Vera Visitor', body: 'Do you ship to Oslo?', tag, url },
      ]);

    // A teammate mentions Pat in a note: the same conversation's notification, updated.
    await api(server, 'POST', '/api/messages', {
      token: admin.token,
      body: {
        conversationId,
        content: 'Pat, can you check the Oslo rates?',
        clientId: randomUUID(),
        type: 'note',
        mentions: [pat.id],
      },
    });
    const second = await pushes(2);
    expect(JSON.parse(second) as PushPayload).toMatchObject({
      title: 'Ada Admin mentioned you',
      tag,
      url,
      reason: 'mention',
    });
    await worker.deliver(second);
    await expect
      .poll(() => notificationsIn(page))
      .toEqual([
        {
          title: 'Ada Admin mentioned you',
          body: 'Pat, can you check the Oslo rates?\nChat with Vera Visitor',
          tag,
          url,
        },
      ]);
    // Its icon and badge are files the server has.
    for (const path of await worker.imagesOfNotifications()) {
      expect([path, (await fetchFile(path)).status]).toEqual([path, 200]);
    }

    // Tapped: the dashboard open on the laptop goes to the conversation, without a reload.
    expect(new URL(page.url()).pathname).toBe('/conversations');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    // Dispatched by the test, the click has not the user activation a real one gives, so
    // Chromium refuses to focus the window, once the worker has told it what to open.
    expect(['done', 'Not allowed to focus a window.']).toContain(await worker.tap(tag));
    await page.waitForURL(`${server.url}${url}`);
    expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);
    await page.getByRole('heading', { name: 'Vera Visitor' }).first().waitFor();
    expect(await notificationsIn(page)).toEqual([]);
  });

  it('opens a new window on a tap when no dashboard is open, and only at its own paths', async () => {
    const page = await signIn();
    await controlled(page);
    await page.context().grantPermissions(['notifications'], { origin: server.url });
    const worker = await serviceWorkerOf(page);
    await page.goto('about:blank');

    const push = (tag: string, url: string) =>
      JSON.stringify({ title: 'Assigned to you', body: 'A chat', tag, url, at: '' });
    await worker.deliver(push('conversation-a', '/conversations/a'));
    await worker.deliver(push('conversation-b', 'https://example.com/conversations/b'));
    await worker.deliver(push('conversation-c', '//example.com/conversations/c'));
    // A push that cannot be read still shows a notification, as browsers require.
    await worker.deliver('not json');
    await expect.poll(() => worker.notifications()).toHaveLength(4);
    expect((await worker.notifications()).find((n) => n.tag === 'parley')).toMatchObject({
      title: 'Parley',
      url: '/',
    });

    expect(await worker.tapWithoutWindow('conversation-a')).toBe('/conversations/a');
    expect(await worker.tapWithoutWindow('conversation-b')).toBe('/');
    expect(await worker.tapWithoutWindow('conversation-c')).toBe('/');
    expect(await worker.tapWithoutWindow('parley')).toBe('/');
  });
});

/**
 * The network of a page's browser, cut as on a device that has none: every request fails, the
 * page's and its service worker's. (Playwright's `setOffline` is not used: Chromium's offline
 * emulation was seen to send pages `online` events as they load, while offline.)
 */
function networkOf(page: Page) {
  const context = page.context();
  const fail = (route: Route) => route.abort('internetdisconnected');
  return {
    off: () => context.route('**/*', fail),
    on: () => context.unroute('**/*', fail),
  };
}

/** Clicks "Try again" on the offline page, which loads the page again. */
async function tryAgain(page: Page) {
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Try again' }).click(),
  ]);
}
