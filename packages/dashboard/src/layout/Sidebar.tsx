import { BarChart3, BookUser, MessagesSquare, Settings, Users } from 'lucide-react';
import { NavLink } from 'react-router';

const links = [
  { to: '/conversations', label: 'Conversations', icon: MessagesSquare },
  { to: '/visitors', label: 'Visitors', icon: Users },
  { to: '/contacts', label: 'Contacts', icon: BookUser },
  { to: '/analytics', label: 'Analytics', icon: BarChart3 },
  { to: '/settings', label: 'Settings', icon: Settings },
];

/**
 * A bar at the bottom below 768 px, a column of icons up to 1024 px (so the chat keeps its
 * room), with labels beyond. It is dark in both themes: it keeps the light scheme's values.
 */
export function Sidebar() {
  return (
    <nav
      aria-label="Main"
      className="order-last flex shrink-0 bg-slate-900 text-slate-200 scheme-light md:order-first md:w-16 md:flex-col lg:w-52"
    >
      <div className="hidden h-14 items-center gap-2 px-4 font-bold text-white md:flex">
        <MessagesSquare aria-hidden className="h-6 w-6 text-blue-400" />
        <span className="hidden lg:inline">Parley</span>
      </div>
      <ul className="flex flex-1 justify-around p-1 md:mt-2 md:block md:flex-none md:space-y-1 md:px-2 md:py-0">
        {links.map(({ to, label, icon: Icon }) => (
          <li key={to}>
            <NavLink
              to={to}
              title={label}
              className={({ isActive }) =>
                `flex items-center gap-3 rounded-md px-4 py-2.5 text-sm font-medium md:px-3 md:py-2 ${
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
