import { BarChart3, MessagesSquare, Settings, Users } from 'lucide-react';
import { NavLink } from 'react-router';

const links = [
  { to: '/conversations', label: 'Conversations', icon: MessagesSquare },
  { to: '/visitors', label: 'Visitors', icon: Users },
  { to: '/analytics', label: 'Analytics', icon: BarChart3 },
  { to: '/settings', label: 'Settings', icon: Settings },
];

/** Icons only below 1024 px, so the chat keeps its room at 768 px. */
export function Sidebar() {
  return (
    <nav
      aria-label="Main"
      className="flex w-16 shrink-0 flex-col bg-slate-900 text-slate-200 lg:w-52"
    >
      <div className="flex h-14 items-center gap-2 px-4 font-bold text-white">
        <MessagesSquare aria-hidden className="h-6 w-6 text-blue-400" />
        <span className="hidden lg:inline">Parley</span>
      </div>
      <ul className="mt-2 space-y-1 px-2">
        {links.map(({ to, label, icon: Icon }) => (
          <li key={to}>
            <NavLink
              to={to}
              title={label}
              className={({ isActive }) =>
                `flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium ${
                  isActive
                    ? 'bg-slate-700 text-white'
                    : 'text-slate-300 hover:bg-slate-800 hover:text-white'
                }`
              }
            >
              <Icon aria-hidden className="h-5 w-5 shrink-0" />
              <span className="sr-only lg:not-sr-only">{label}</span>
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
