import type { PushSubscriptionBody } from '@parley/protocol';

// This browser's side of push notifications (issue 37): its subscription at the push service
// of its maker (Google's, Mozilla's, Apple's…), made in the service worker's registration
// (/sw.js, which shows the pushes). The server is told of it by `subscribePush`.

/** Whether this browser can get pushes at all: a service worker, the Push API, notifications. */
export const canGetPushes = (): boolean =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** The server's VAPID public key (base64url) as the bytes `applicationServerKey` takes. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/** What a wait for the browser comes to when it never ends: an error said in plain words. */
function within<T>(promise: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(failure)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The service worker starts with the page; a push service answers in a second or two when it
// can be reached, and a browser that cannot reach it may go on trying for minutes.
const WORKER_WAIT_MS = 10_000;
const SUBSCRIBE_WAIT_MS = 30_000;

/** The agent's answer to the browser's question, as a reason to stop unless it is yes. */
export async function permitted(asked: Promise<NotificationPermission>): Promise<void> {
  const permission = await asked;
  if (permission === 'granted') return;
  throw new Error(
    permission === 'denied'
      ? 'Notifications are blocked for Parley in this browser.'
      : 'Notifications were not allowed. Turn them on again and choose Allow.',
  );
}

/**
 * Subscribes this browser at its push service with the server's key (only pushes it shows may
 * come: `userVisibleOnly`), and hands back the subscription as the server takes it. Fails in
 * plain words when the push service cannot be reached, rather than waiting for ever.
 */
export async function subscribeThisBrowser(publicKey: string): Promise<PushSubscriptionBody> {
  const { pushManager } = await within(
    navigator.serviceWorker.ready,
    WORKER_WAIT_MS,
    'The part of this page that receives notifications (its service worker) has not started. Reload the page and try again.',
  );
  let subscription: PushSubscription;
  try {
    subscription = await within(
      pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(publicKey),
      }),
      SUBSCRIBE_WAIT_MS,
      'no answer',
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `This browser could not reach its push service (${reason}), so notifications cannot be turned on here for now. Check the connection and try again.`,
      { cause: error },
    );
  }
  const { endpoint, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth) {
    throw new Error('The browser gave a subscription without its address or keys.');
  }
  return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}

/**
 * Ends this browser's subscription at its push service, if it has one. A failure is of no
 * consequence once the server has forgotten the subscription: nothing is sent to it any more.
 */
export async function unsubscribeThisBrowser(): Promise<void> {
  if (!canGetPushes()) return;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    await (await registration?.pushManager.getSubscription())?.unsubscribe();
  } catch {
    // See above: the server no longer sends to it.
  }
}
