/**
 * Registers the service worker (sw.js, built from ./sw.js): the offline page and push
 * notifications. Only in a production build, where the build has made it, and only where
 * browsers have service workers (not on plain HTTP but localhost).
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // Once the page has loaded: the worker's install fetches its files, which can wait.
  window.addEventListener(
    'load',
    () => {
      navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
        // The dashboard works without it; there is just no offline page nor push.
        console.warn('service worker not registered', error);
      });
    },
    { once: true },
  );
}
