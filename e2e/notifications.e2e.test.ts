import { randomUUID } from 'node:crypto';
import type { ConversationReply, PushPayload } from '@parley/protocol';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserKeys,
  decryptPush,
  startPushService,
  type BrowserKeys,
  type TestPushService,
} from '../packages/server/test/support/push-service.js';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { overflow } from './support/layout.js';
import { watchPageErrors } from './support/page-errors.js';
import { addAgent, api, eventually, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// Push notifications in Profile (issue 37, items 2 and 3): the browser is asked for permission
// only when the agent clicks "Turn on", never as a page opens; turned on, the device is listed,
// a test notification reaches the push service encrypted for the browser's keys, the choices of
// what to be told of are kept, another device can be removed, and "Turn off" ends it. This
// machine's Chromium cannot reach a real push service, so only the browser's registration there
// (`PushManager.prototype.subscribe`) is replaced, by one at the tests' own push service with
// keys made here; the service worker, the permission and everything after are the real ones.

const DESK = { width: 1280, height: 860 };
const PHONE = { width: 375, height: 812 };
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const dee = { email: 'dee@example.com', password: 'a long unusual passphrase 91' };

let pushService: TestPushService;
let server: RunningServer;
let browser: Browser;
let adminToken: string;
let deeId: string;
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];
const { errors: pageErrors, watched } = watchPageErrors();

beforeAll(async () => {
  pushService = await startPushService();
  [server, browser] = await Promise.all([
    startParley({ PUSH_SERVICES: pushService.origin, PUSH_INTERVAL_SECONDS: '0' }),
    launchBrowser(),
  ]);
  const admin = await registerAdmin(server, 'Ada Admin');
  adminToken = admin.token;
  deeId = (await addAgent(server, admin.token, { name: 'Dee Devices', ...dee, role: 'agent' })).user
    .id;
  // A chat already, so that the desk opens on its lists rather than the first-run page.
  const first = await VisitorSession.connect(server);
  visitors.push(first);
  await first.startChat('Hello?');
});

afterAll(async () => {
  for (const visitor of visitors) visitor.close();
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  await pushService?.close();
});

// Each test's browsers go with it: a dashboard left open would count as one of Dee's in view.
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(pageErrors).toEqual([]);
});

/** What the page's stand-in for the push service registration is told to do. */
type PushStub = { endpoint: string; p256dh: string; auth: string; refuse: string | null };

/**
 * Runs in each page before its scripts: counts `Notification.requestPermission` calls, and makes
 * `pushManager.subscribe` give a subscription at the tests' push service (or refuse, as a
 * browser that cannot reach its push service does). The subscription is kept in localStorage,
 * as the browser keeps its own, so that a reload still has it.
 */
function stubPushRegistration(stub: PushStub) {
  const seen = window as unknown as { permissionRequests: number; subscribedWithKey?: string };
  seen.permissionRequests = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    seen.permissionRequests += 1;
    return ask(...args);
  };
  const kept = 'test.push-subscription';
  const subscription = () => ({
    endpoint: stub.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: null },
    getKey: () => null,
    toJSON: () => ({
      endpoint: stub.endpoint,
      expirationTime: null,
      keys: { p256dh: stub.p256dh, auth: stub.auth },
    }),
    unsubscribe: async () => {
      localStorage.removeItem(kept);
      localStorage.setItem('test.push-unsubscribed', 'yes');
      return true;
    },
  });
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    if (stub.refuse) throw new DOMException(stub.refuse, 'AbortError');
    const key = options?.applicationServerKey;
    if (key instanceof Uint8Array) {
      seen.subscribedWithKey = btoa(String.fromCharCode(...Array.from(key)));
    }
    if (!options?.userVisibleOnly) throw new DOMException('userVisibleOnly', 'NotAllowedError');
    localStorage.setItem(kept, 'yes');
    return subscription() as unknown as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return (localStorage.getItem(kept) ? subscription() : null) as unknown as PushSubscription;
  };
}

/** A signed-in browser of Dee's on Profile, whose registration at the push service is `stub`. */
async function deviceOn(
  stub: PushStub,
  options: BrowserContextOptions & { grant?: boolean } = {},
): Promise<Page> {
  const { grant = true, ...contextOptions } = options;
  const page = watched(
    await signInPage(
      browser,
      contexts,
      { url: server.url, ...dee },
      { viewport: DESK, ...contextOptions },
    ),
  );
  const context = page.context();
  if (grant) await context.grantPermissions(['notifications'], { origin: server.url });
  await context.addInitScript(stubPushRegistration, stub);
  await page.goto(`${server.url}/settings/profile`);
  return page;
}

const stubFor = (name: string, keys: BrowserKeys, refuse: string | null = null): PushStub => ({
  endpoint: pushService.endpoint(name),
  p256dh: keys.p256dh,
  auth: keys.auth,
  refuse,
});

/** What the push service received for a subscription, read with its browser's keys. */
const pushesTo = (name: string, keys: BrowserKeys): PushPayload[] =>
  pushService.received
    .filter((p) => p.name === name)
    .map((p) => JSON.parse(decryptPush(p.body, keys)) as PushPayload);

const permissionRequests = (page: Page) =>
  page.evaluate(() => (window as unknown as { permissionRequests: number }).permissionRequests);

const notificationsCard = (page: Page) =>
  page
    .locator('section')
    .filter({ has: page.getByRole('heading', { name: 'Notifications', exact: true }) });

/** Scrolls the card into view and takes a screenshot, light and dark. */
async function shoot(page: Page, name: string) {
  await notificationsCard(page).scrollIntoViewIfNeeded();
  // Toasts (fading) and the button that was just clicked settle first.
  await page.waitForTimeout(300);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const turnOn = (page: Page) =>
  page.getByRole('button', { name: 'Turn on notifications on this device' });
const devices = (page: Page) => page.getByTestId('push-device');

describe('notifications on this device', () => {
  it('asks for permission only on the click, never as a page opens', async () => {
    const laptop = await deviceOn(stubFor('never', browserKeys()), { grant: false });
    await turnOn(laptop).waitFor();
    expect(await permissionRequests(laptop)).toBe(0);
    // Another page of the dashboard, opened afresh: no question either.
    await laptop.goto(`${server.url}/conversations`);
    await laptop.getByRole('tab', { name: 'Mine' }).waitFor();
    expect(await permissionRequests(laptop)).toBe(0);
    await laptop.goto(`${server.url}/settings/profile`);
    await turnOn(laptop).waitFor();
    expect(await permissionRequests(laptop)).toBe(0);
    expect(await laptop.evaluate(() => Notification.permission)).toBe('default');
    expect(await devices(laptop).count()).toBe(0);
    await laptop.getByText('No device of yours gets notifications yet.').waitFor();
    expect(await axeViolations(laptop)).toEqual([]);
    await shoot(laptop, 'notifications-off-1280');

    // Headless Chromium answers the question itself, with no one to say yes: blocked. The page
    // says how to allow it.
    await turnOn(laptop).click();
    await laptop
      .getByText('Notifications are blocked for Parley in this browser. To allow them')
      .waitFor();
    expect(await permissionRequests(laptop)).toBe(1);
    expect(await laptop.evaluate(() => Notification.permission)).toBe('denied');
    expect(await turnOn(laptop).count()).toBe(0);
    expect(await devices(laptop).count()).toBe(0);
    await shoot(laptop, 'notifications-not-allowed-1280');
  });

  it('turns on, sends a test, keeps the choices, removes another device, turns off', async () => {
    const laptopKeys = browserKeys();
    const laptop = await deviceOn(stubFor('laptop', laptopKeys));
    await turnOn(laptop).click();
    const mine = devices(laptop).filter({ hasText: 'This device' });
    await mine.waitFor();
    expect(await devices(laptop).count()).toBe(1);
    expect(await permissionRequests(laptop)).toBe(1);
    // Subscribed with the server's own key, for notifications the worker shows.
    const { publicKey } = await api<{ publicKey: string }>(server, 'GET', '/api/push/key', {
      token: adminToken,
    });
    expect(
      await laptop.evaluate(
        () => (window as unknown as { subscribedWithKey?: string }).subscribedWithKey,
      ),
    ).toBe(Buffer.from(publicKey, 'base64url').toString('base64'));

    // The test notification reaches the push service, readable with the browser's keys only.
    await laptop.getByRole('button', { name: 'Send a test notification' }).click();
    await laptop.getByText('Sent to 1 device').waitFor();
    const payload = await eventually(
      () => pushesTo('laptop', laptopKeys).find((p) => p.reason === 'test'),
      'the test push',
    );
    expect(payload).toMatchObject({
      title: 'Parley notifications are on',
      reason: 'test',
      url: '/settings/profile',
    });

    // What to be told of: saved as ticked, still so after a reload. Email is off here.
    const queued = laptop.getByRole('checkbox', { name: 'New chats waiting in my queues' });
    expect(await queued.isChecked()).toBe(true);
    await queued.uncheck();
    await laptop.getByText('Notification settings saved').waitFor();
    const mentionEmails = laptop.getByRole('checkbox', {
      name: "Also email me when I'm mentioned",
    });
    expect(await mentionEmails.isDisabled()).toBe(true);
    await laptop.getByText('Email is off on this server, so Parley sends none.').waitFor();
    await laptop.reload();
    await mine.waitFor();
    expect(await queued.isChecked()).toBe(false);
    for (const name of [
      'Chats assigned or transferred to me',
      "Visitors' messages in my chats while no Parley tab of mine is in view",
      'When a teammate mentions me in a note',
    ]) {
      expect(await laptop.getByRole('checkbox', { name }).isChecked(), name).toBe(true);
    }
    // The test was the device's last push.
    expect(await mine.textContent()).toMatch(/last notified/);
    expect(await axeViolations(laptop)).toEqual([]);
    await shoot(laptop, 'notifications-on-1280');

    // A phone turns on too, and fits its screen.
    const phone = await deviceOn(stubFor('phone', browserKeys()), {
      viewport: PHONE,
      userAgent: IPHONE,
    });
    await turnOn(phone).click();
    await devices(phone).filter({ hasText: 'This device' }).waitFor();
    expect(await devices(phone).count()).toBe(2);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await shoot(phone, 'notifications-on-375');

    // The laptop removes the phone.
    await laptop.reload();
    await expect.poll(() => devices(laptop).count()).toBe(2);
    await laptop.getByRole('button', { name: 'Remove Safari 17 on iPhone (iOS 17.5)' }).click();
    await laptop.getByText('Safari 17 on iPhone (iOS 17.5) no longer gets notifications').waitFor();
    await expect.poll(() => devices(laptop).count()).toBe(1);
    await phone.reload();
    await turnOn(phone).waitFor();

    // Tests are a person's clicks: ten an hour, then the server's refusal is said.
    const test = laptop.getByRole('button', { name: 'Send a test notification' });
    // The server's refusal, with the wait in words (the limit is per hour).
    const refused = laptop.getByText(/^Too many requests: try again in \d+ minutes?$/);
    for (let sent = 1; sent < 10; sent++) {
      await test.click();
      await laptop.getByText('Sent to 1 device').first().waitFor();
    }
    await test.click();
    await refused.waitFor();

    // Off: the device leaves the list, and the browser's subscription ends with it.
    await laptop.getByRole('button', { name: 'Turn off on this device' }).click();
    await laptop.getByText('Notifications are off on this device').waitFor();
    await turnOn(laptop).waitFor();
    await laptop.getByText('No device of yours gets notifications yet.').waitFor();
    expect(await laptop.evaluate(() => localStorage.getItem('test.push-unsubscribed'))).toBe('yes');
  });

  it('says so plainly when the browser cannot reach its push service', async () => {
    const laptop = await deviceOn(
      stubFor('unreachable', browserKeys(), 'Registration failed - push service error'),
    );
    await turnOn(laptop).click();
    const alert = laptop.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      'This browser could not reach its push service (Registration failed - push service error)',
    );
    // Not left busy: it can be tried again.
    expect(await turnOn(laptop).isEnabled()).toBe(true);
    expect(await devices(laptop).filter({ hasText: 'This device' }).count()).toBe(0);
    await shoot(laptop, 'notifications-unreachable-1280');
  });
  it("pushes a visitor's message only while no dashboard of Dee's is in view", async () => {
    const deskKeys = browserKeys();
    const desk = await deviceOn(stubFor('desk', deskKeys));
    await turnOn(desk).click();
    await devices(desk).filter({ hasText: 'This device' }).waitFor();
    // What the dashboard tells the server on its socket, from a fresh connection on.
    const frames: string[] = [];
    desk.on('websocket', (ws) => ws.on('framesent', (f) => frames.push(String(f.payload))));
    await desk.reload();
    await eventually(
      () => frames.find((f) => f.startsWith('40/agent,') && f.includes('"visible":true')),
      'the handshake saying the dashboard is in view',
    );

    const visitor = await VisitorSession.connect(server);
    visitors.push(visitor);
    await visitor.setDetails({ name: 'Vic Visitor' });
    const conversationId = await visitor.startChat('Is anyone there?');
    const { conversation } = await api<ConversationReply>(
      server,
      'GET',
      `/api/conversations/${conversationId}`,
      { token: adminToken },
    );
    if (conversation.assigneeId !== deeId) {
      await api(server, 'POST', `/api/conversations/${conversationId}/assign`, {
        token: adminToken,
        body: { agentId: deeId },
      });
    }
    const say = async (content: string) => {
      const reply = await visitor.socket
        .timeout(5000)
        .emitWithAck('message.send', { conversationId, content, clientId: randomUUID() });
      if (!reply.ok) throw new Error(reply.error.message);
    };
    await say('Hello again');
    // Past the moment a new chat waits for routing before it is news (2 s) and the push job.
    await desk.waitForTimeout(3000);
    expect(pushesTo('desk', deskKeys)).toEqual([]);

    // The dashboard goes out of view (another tab, a locked phone): it says so at once.
    await desk.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => 'hidden',
      });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await eventually(
      () => frames.find((f) => f.includes('"dashboard.visibility",{"visible":false}')),
      'the dashboard saying it is out of view',
    );
    await say('Still waiting for an answer');
    const payload = await eventually(
      () => pushesTo('desk', deskKeys).find((p) => p.reason === 'message'),
      "the visitor's message pushed",
    );
    expect(payload).toMatchObject({
      title: 'Vic Visitor',
      reason: 'message',
      url: `/conversations/${conversationId}`,
    });
    expect(payload.body).toContain('Still waiting for an answer');
  });
});
