import { Outlet } from 'react-router';
import { useUnreadTitle } from '../notifications/useUnreadTitle';
import { ConnectionBanner } from './ConnectionBanner';
import { Header } from './Header';
import { Sidebar } from './Sidebar';

/** The seed's layout: sidebar, header (own status, profile), main area. */
export function AppLayout() {
  useUnreadTitle();
  return (
    <div className="flex h-screen min-h-0 overflow-hidden">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <Sidebar />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header />
        <ConnectionBanner />
        <main id="main" className="min-h-0 flex-1 overflow-hidden">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
