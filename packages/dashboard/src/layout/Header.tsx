import type { AgentStatus } from '@parley/protocol';
import { Bell, LogOut, MessagesSquare, UserRound } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useUser } from '../api/hooks';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { useAuth, useMe } from '../auth/AuthProvider';
import { canAskForNotifications } from '../notifications/notify';
import { PreferencesMenu } from '../preferences/PreferencesMenu';
import { useRealtime } from '../realtime/RealtimeProvider';
import { ACK_TIMEOUT_MS } from '../realtime/socket';
import { Button, statusColor } from '../ui/controls';

const statuses: readonly AgentStatus[] = ['online', 'away', 'offline'];

/** Below 768 px it carries the app's name (the sidebar is then a bar at the bottom). */
export function Header({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  const me = useMe();
  const { logout } = useAuth();
  const { socket, connection } = useRealtime();
  const status = useUser(me.id)?.status ?? (connection === 'connected' ? 'online' : 'offline');
  const [askNotifications, setAskNotifications] = useState(canAskForNotifications);

  const changeStatus = useSave({
    save: async (next: AgentStatus) => {
      const reply = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('status.set', { status: next });
      if (!reply.ok) throw new Error(reply.error.message);
    },
    invalidates: [keys.users],
  }).run;

  return (
    <header className="flex h-14 shrink-0 items-center justify-end gap-1 border-b border-slate-200 bg-white px-2 sm:gap-3 sm:px-4">
      <span className="mr-auto flex items-center gap-2 font-bold text-slate-900 md:hidden">
        <MessagesSquare aria-hidden className="h-6 w-6 text-blue-700" />
        Parley
      </span>
      {askNotifications ? (
        <Button
          variant="ghost"
          onClick={() =>
            void Notification.requestPermission().then(() => setAskNotifications(false))
          }
        >
          <Bell aria-hidden className="h-4 w-4" />
          <span className="sr-only md:not-sr-only">Enable notifications</span>
        </Button>
      ) : null}
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <span className={`h-2.5 w-2.5 rounded-full ${statusColor[status]}`} aria-hidden />
        <span className="sr-only">My status</span>
        <select
          value={status}
          onChange={(e) => {
            const next = statuses.find((s) => s === e.target.value);
            if (next) changeStatus(next);
          }}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          disabled={connection !== 'connected'}
        >
          <option value="online">Online</option>
          <option value="away">Away</option>
          <option value="offline">Offline</option>
        </select>
      </label>
      <PreferencesMenu onShowShortcuts={onShowShortcuts} />
      <Link
        to="/settings/profile"
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
      >
        <UserRound aria-hidden className="h-4 w-4" />
        <span className="sr-only max-w-40 truncate sm:not-sr-only">{me.name}</span>
      </Link>
      <Button variant="ghost" onClick={() => void logout()} aria-label="Sign out" title="Sign out">
        <LogOut aria-hidden className="h-4 w-4" />
      </Button>
    </header>
  );
}
