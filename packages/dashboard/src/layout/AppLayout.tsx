import { useState } from 'react';
import { Outlet } from 'react-router';
import { ShortcutHelp } from '../keyboard/ShortcutHelp';
import { useEscapeLeavesField, useShortcut } from '../keyboard/shortcuts';
import { useUnreadTitle } from '../notifications/useUnreadTitle';
import { ConnectionBanner } from './ConnectionBanner';
import { Header } from './Header';
import { Sidebar } from './Sidebar';

/**
 * The seed's layout: sidebar, header (own status, preferences, profile), main area. Below
 * 768 px the sidebar becomes a bar at the bottom, so the page keeps the whole width.
 */
export function AppLayout() {
  useUnreadTitle();
  useEscapeLeavesField();
  const [helpOpen, setHelpOpen] = useState(false);
  useShortcut('help', () => setHelpOpen(true));
  return (
    <div className="flex h-dvh min-h-0 flex-col overflow-hidden md:flex-row">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <Sidebar />
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        <Header onShowShortcuts={() => setHelpOpen(true)} />
        <ConnectionBanner />
        <main id="main" className="min-h-0 flex-1 overflow-hidden">
          <Outlet />
        </main>
      </div>
      {helpOpen ? <ShortcutHelp onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
