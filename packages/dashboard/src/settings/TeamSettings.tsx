import type { Role, User } from '@parley/protocol';
import { call } from '../api/client';
import { useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { useMe } from '../auth/AuthProvider';
import { BotBadge } from '../conversations/BotBadge';
import { CardRow, CardTable } from '../ui/CardTable';
import { Button, Card, StatusDot } from '../ui/controls';
import { Invitations } from './Invitations';
import { ResetTwoFactorButton } from './ResetTwoFactorButton';
import { TeamsSettings } from './TeamsSettings';

const roles: readonly Role[] = ['agent', 'admin'];
const roleOf = (value: string): Role => roles.find((r) => r === value) ?? 'agent';
const columns = [
  { label: 'Agent' },
  { label: 'Role' },
  { label: 'Capacity' },
  { label: 'Account' },
];

type UserChange = { user: User; body: Partial<Pick<User, 'role' | 'capacity' | 'active'>> };

/**
 * Settings → Team: the agents (admins invite them, set their role and capacity, deactivate
 * them), then the teams they work in, with their hours.
 */
export function TeamSettings() {
  const me = useMe();
  const users = useUsers().data?.items ?? [];
  const isAdmin = me.role === 'admin';

  const patch = useSave({
    save: ({ user, body }: UserChange) => call('updateUser', { params: { id: user.id }, body }),
    invalidates: [keys.users],
  }).run;

  const endSessions = useSave({
    save: (user: User) => call('endUserSessions', { params: { id: user.id } }),
    done: ({ ended }, user) =>
      ended === 0
        ? `${user.name} had no browser signed in`
        : `${user.name} was signed out of ${ended === 1 ? '1 browser' : `${ended} browsers`}`,
  });

  return (
    <div className="space-y-4">
      <Card title="Team">
        <div className="overflow-x-auto">
          {/* On a phone each member is a card: name, then role and capacity, then the action. */}
          <CardTable columns={columns}>
            {users.map((u) => (
              <CardRow key={u.id} data-testid={`team-${u.email}`}>
                <td className="py-2 pr-3 max-md:block max-md:py-0.5">
                  <span className="flex items-center gap-2">
                    <StatusDot status={u.status} label={`${u.name} is ${u.status}`} />
                    <span
                      className={
                        u.active ? 'font-medium text-slate-900' : 'text-slate-500 line-through'
                      }
                    >
                      {u.name}
                    </span>
                    {u.kind === 'bot' ? <BotBadge /> : null}
                  </span>
                  {/* A bot's address is a placeholder that receives nothing. */}
                  <span className="block pl-4.5 text-xs text-slate-600">
                    {u.kind === 'bot' ? 'Acts through API tokens' : u.email}
                  </span>
                </td>
                <td className="py-2 pr-3 max-md:inline-flex max-md:items-center max-md:gap-1.5 max-md:py-1">
                  <span className="text-slate-600 md:hidden">Role</span>
                  {isAdmin && u.id !== me.id && u.kind === 'person' ? (
                    <select
                      aria-label={`Role of ${u.name}`}
                      value={u.role}
                      onChange={(e) => patch({ user: u, body: { role: roleOf(e.target.value) } })}
                      className="rounded border border-slate-300 px-1 py-1"
                    >
                      {roles.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  ) : (
                    u.role
                  )}
                </td>
                <td className="py-2 pr-3 max-md:inline-flex max-md:items-center max-md:gap-1.5 max-md:py-1">
                  <span className="text-slate-600 md:hidden">Chats at once</span>
                  {u.kind === 'bot' ? (
                    // Routing never gives a bot chats: only being the first responder does.
                    <span title="Bots are not given chats by routing">—</span>
                  ) : isAdmin ? (
                    <input
                      type="number"
                      min={0}
                      max={100}
                      aria-label={`Chats at once for ${u.name}`}
                      defaultValue={u.capacity}
                      onBlur={(e) => {
                        const capacity = Number(e.target.value);
                        if (capacity !== u.capacity) patch({ user: u, body: { capacity } });
                      }}
                      className="w-16 rounded border border-slate-300 px-1 py-1"
                    />
                  ) : (
                    u.capacity
                  )}
                </td>
                <td className="py-2 max-md:block max-md:py-1">
                  {isAdmin && u.id !== me.id ? (
                    <span className="flex flex-wrap gap-2">
                      {u.active && u.kind === 'person' ? (
                        <Button
                          variant="secondary"
                          disabled={endSessions.busy}
                          onClick={() => endSessions.run(u)}
                          aria-label={`Sign out everywhere: ${u.name}`}
                        >
                          Sign out everywhere
                        </Button>
                      ) : null}
                      <ResetTwoFactorButton user={u} />
                      <Button
                        variant={u.active ? 'danger' : 'secondary'}
                        onClick={() => patch({ user: u, body: { active: !u.active } })}
                      >
                        {u.active ? 'Deactivate' : 'Reactivate'}
                      </Button>
                    </span>
                  ) : u.active ? (
                    'Active'
                  ) : (
                    'Deactivated'
                  )}
                </td>
              </CardRow>
            ))}
          </CardTable>
        </div>
      </Card>
      {isAdmin ? <Invitations /> : null}
      <TeamsSettings />
    </div>
  );
}
