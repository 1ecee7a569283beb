import type { Page, Worker } from 'playwright-core';
import { eventually } from './parley-api.js';

// The dashboard's service worker (packages/dashboard/src/pwa/sw.js), driven and read from
// outside, as the browser would: pushes delivered by Chromium's DevTools protocol, taps
// dispatched in the worker, its notifications and cache read.

/** The paths the service worker keeps, in every cache of this origin. */
export const keptByWorker = (page: Page) =>
  page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });

/** The notifications shown, as the page reads them from the service worker's registration. */
export const notificationsIn = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      url: (n.data as { url?: string } | null)?.url,
    }));
  });

type Shown = { title: string; body: string; tag: string; url: string | undefined };

/**
 * The page's service worker, driven from outside: pushes delivered to it by Chromium (as from
 * the push service), its notifications read, and taps dispatched in it.
 */
export async function serviceWorkerOf(page: Page) {
  const context = page.context();
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  const origin = new URL(page.url()).origin;
  const { registrationId } = await eventually(
    () => registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted),
    'the service worker registration',
  );
  // The worker as Playwright reaches it now: a stopped worker that a push wakes is a new one.
  const running = async (): Promise<Worker> =>
    context.serviceWorkers().find((w) => w.url() === `${origin}/sw.js`) ??
    (await context.waitForEvent('serviceworker'));

  return {
    async deliver(data: string) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data });
    },
    async notifications(): Promise<Shown[]> {
      return (await running()).evaluate(async () => {
        const worker = self as unknown as ServiceWorkerGlobalScope;
        return (await worker.registration.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          url: (n.data as { url?: string } | null)?.url,
        }));
      });
    },
    /** The icon and badge paths of the notifications shown. */
    async imagesOfNotifications(): Promise<string[]> {
      return (await running()).evaluate(async () => {
        const worker = self as unknown as ServiceWorkerGlobalScope;
        const shown = await worker.registration.getNotifications();
        return [...new Set(shown.flatMap((n) => [n.icon, n.badge]))].map(
          (u) => new URL(u).pathname,
        );
      });
    },
    /** Taps the notification of this tag: how the worker's work for it ended. */
    async tap(tag: string): Promise<string> {
      const worker = await running();
      const [outcome] = await worker.evaluate(dispatchClick, { tag, stubOpenWindow: false });
      return outcome ?? 'no work';
    },
    /** Taps it with no dashboard open: the path the worker asked the browser to open. */
    async tapWithoutWindow(tag: string): Promise<string> {
      const worker = await running();
      const [opened] = await worker.evaluate(dispatchClick, { tag, stubOpenWindow: true });
      return opened ?? 'nothing opened';
    },
  };
}

/**
 * Runs in the service worker: a `notificationclick` for the notification of `tag`, as the
 * browser dispatches one, whose `waitUntil` work is awaited. A window can only be opened on a
 * real click, so with `stubOpenWindow` the worker's `clients.openWindow` records its path
 * instead, which is returned.
 */
async function dispatchClick(args: { tag: string; stubOpenWindow: boolean }): Promise<string[]> {
  const worker = self as unknown as ServiceWorkerGlobalScope;
  const [notification] = await worker.registration.getNotifications({ tag: args.tag });
  if (!notification) return [`no notification ${args.tag}`];
  const opened: string[] = [];
  if (args.stubOpenWindow) {
    Object.assign(worker.clients, {
      openWindow: async (url: string) => {
        opened.push(url);
        return null;
      },
    });
  }
  const click = new NotificationEvent('notificationclick', { notification });
  const work: Promise<unknown>[] = [];
  Object.defineProperty(click, 'waitUntil', { value: (p: Promise<unknown>) => work.push(p) });
  worker.dispatchEvent(click);
  const outcomes = await Promise.allSettled(work);
  if (args.stubOpenWindow) return opened;
  return outcomes.map((o) =>
    o.status === 'fulfilled' ? 'done' : String((o.reason as Error).message),
  );
}
