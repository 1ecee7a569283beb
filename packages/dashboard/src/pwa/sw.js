// The dashboard's service worker, at /sw.js (issue 37): an offline page instead of the browser's
// error when a page of the dashboard cannot be fetched, and the push notifications the server
// sends (packages/server/src/services/push.ts). It keeps nothing else: the network always comes
// first, and the API, sockets and files are never answered by it. Plain JavaScript, emitted by
// the build (vite.config.ts), which puts a digest of the kept files into CACHE: a new offline
// page changes this file's bytes, so browsers install the new worker.

const CACHE = 'parley-offline-__KEPT_DIGEST__';
const OFFLINE_PAGE = '/offline.html';
/** The offline page and what it loads: kept at install, served only when the network fails. */
const KEPT = [OFFLINE_PAGE, '/offline.js', '/favicon.svg'];
/** Paths that are not the dashboard's pages (the server's NOT_THE_DASHBOARD, and downloads). */
const NOT_THE_DASHBOARD = /^\/(api|socket\.io|files|widget|demo|healthz|readyz|metrics)(\/|$)/;

self.addEventListener('install', (event) => {
  // `reload`: what the server has now, not what the HTTP cache held.
  const requests = KEPT.map((path) => new Request(path, { cache: 'reload' }));
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(requests))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (NOT_THE_DASHBOARD.test(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(pageOrOffline(request));
  else if (KEPT.includes(url.pathname)) event.respondWith(networkOrKept(request));
});

async function pageOrOffline(request) {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match(OFFLINE_PAGE)) ?? Response.error();
  }
}

async function networkOrKept(request) {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match(request, { ignoreSearch: true })) ?? Response.error();
  }
}

/** What a push says (the protocol's PushPayload), or null when it is not one. */
function readPush(data) {
  try {
    const payload = data?.json();
    return typeof payload?.title === 'string' ? payload : null;
  } catch {
    return null;
  }
}

self.addEventListener('push', (event) => {
  // Browsers require a notification for every push: one that cannot be read still says so.
  const push = readPush(event.data) ?? {
    title: 'Parley',
    body: 'There is something new in the dashboard.',
    tag: 'parley',
    url: '/',
  };
  const at = Date.parse(push.at);
  event.waitUntil(
    self.registration.showNotification(push.title, {
      body: typeof push.body === 'string' ? push.body : '',
      // One notification per conversation: a later push replaces it, and buzzes again.
      tag: typeof push.tag === 'string' ? push.tag : 'parley',
      renotify: true,
      data: { url: push.url },
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      timestamp: Number.isNaN(at) ? Date.now() : at,
    }),
  );
});

/** A path of the dashboard to open: only this origin's, else the dashboard's start. */
function dashboardPath(url) {
  if (typeof url !== 'string' || !url.startsWith('/')) return '/';
  const target = new URL(url, self.location.origin);
  if (target.origin !== self.location.origin) return '/';
  return target.pathname + target.search + target.hash;
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openInDashboard(dashboardPath(event.notification.data?.url)));
});

/**
 * In the dashboard window used last, which opens the path itself (pwa/NotificationLinks.tsx:
 * no reload, the socket stays up); in a new window when none is open.
 */
async function openInDashboard(path) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const dashboard = windows.find(
    (w) => w.frameType === 'top-level' && !NOT_THE_DASHBOARD.test(new URL(w.url).pathname),
  );
  if (!dashboard) {
    await self.clients.openWindow(path);
    return;
  }
  dashboard.postMessage({ type: 'open', url: path });
  await dashboard.focus();
}
