import { useEffect } from 'react';
import { useNavigate } from 'react-router';

/** What the service worker asks of an open dashboard when its notification is tapped (sw.js). */
const pathToOpen = (data: unknown): string | null =>
  typeof data === 'object' &&
  data !== null &&
  'type' in data &&
  data.type === 'open' &&
  'url' in data &&
  typeof data.url === 'string' &&
  data.url.startsWith('/') &&
  !data.url.startsWith('//')
    ? data.url
    : null;

/**
 * Opens in this tab the conversation a tapped notification is about: the service worker focuses
 * the dashboard and names the path, and the router goes there without a reload.
 */
export function NotificationLinks(): null {
  const navigate = useNavigate();
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const worker = navigator.serviceWorker;
    const open = (event: MessageEvent) => {
      const path = pathToOpen(event.data);
      if (path) void navigate(path);
    };
    worker.addEventListener('message', open);
    return () => worker.removeEventListener('message', open);
  }, [navigate]);
  return null;
}
