import type { Role, User, UserReply } from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import toast from 'react-hot-toast';
import { api } from '../api/client';
import { useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { useMe } from '../auth/AuthProvider';
import { BotBadge } from '../conversations/BotBadge';
import { Button, Card, Field, SelectField, StatusDot } from '../ui/controls';
import { toastError } from '../ui/errors';

const roles: readonly Role[] = ['agent', 'admin'];
const roleOf = (value: FormDataEntryValue | string | null): Role =>
  roles.find((r) => r === value) ?? 'agent';

export function TeamSettings() {
  const me = useMe();
  const users = useUsers().data?.items ?? [];
  const qc = useQueryClient();
  const isAdmin = me.role === 'admin';

  const patch = async (user: User, body: Partial<Pick<User, 'role' | 'capacity' | 'active'>>) => {
    try {
      await api<UserReply>(`/api/users/${user.id}`, { method: 'PATCH', body });
      void qc.invalidateQueries({ queryKey: keys.users });
    } catch (err) {
      toastError(err);
    }
  };

  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    try {
      await api<UserReply>('/api/users', {
        method: 'POST',
        body: {
          name: String(data.get('name')),
          email: String(data.get('email')),
          password: String(data.get('password')),
          role: roleOf(data.get('role')),
          capacity: Number(data.get('capacity')),
        },
      });
      form.reset();
      toast.success('Agent added');
      void qc.invalidateQueries({ queryKey: keys.users });
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div className="space-y-4">
      <Card title="Team">
        <div className="overflow-x-auto">
          {/* On a phone each member is a card: name, then role and capacity, then the action. */}
          <table className="w-full text-left text-sm max-md:block">
            <thead className="border-b border-slate-200 text-slate-600 max-md:hidden">
              <tr>
                <th className="py-2 pr-3 font-medium">Agent</th>
                <th className="py-2 pr-3 font-medium">Role</th>
                <th className="py-2 pr-3 font-medium">Capacity</th>
                <th className="py-2 font-medium">Account</th>
              </tr>
            </thead>
            <tbody className="max-md:block">
              {users.map((u) => (
                <tr
                  key={u.id}
                  className="border-b border-slate-100 last:border-0 max-md:block max-md:py-2"
                  data-testid={`team-${u.email}`}
                >
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
                        onChange={(e) => void patch(u, { role: roleOf(e.target.value) })}
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
                          if (capacity !== u.capacity) void patch(u, { capacity });
                        }}
                        className="w-16 rounded border border-slate-300 px-1 py-1"
                      />
                    ) : (
                      u.capacity
                    )}
                  </td>
                  <td className="py-2 max-md:block max-md:py-1">
                    {isAdmin && u.id !== me.id ? (
                      <Button
                        variant={u.active ? 'danger' : 'secondary'}
                        onClick={() => void patch(u, { active: !u.active })}
                      >
                        {u.active ? 'Deactivate' : 'Reactivate'}
                      </Button>
                    ) : u.active ? (
                      'Active'
                    ) : (
                      'Deactivated'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      {isAdmin ? (
        <Card title="Add an agent">
          <form onSubmit={add} className="grid gap-3 md:grid-cols-2">
            <Field label="Name" name="name" required />
            <Field label="Email" name="email" type="email" required />
            <Field
              label="Initial password"
              name="password"
              type="password"
              minLength={8}
              required
              autoComplete="new-password"
            />
            <div className="grid grid-cols-2 gap-3">
              <SelectField label="Role" name="role" defaultValue="agent">
                <option value="agent">Agent</option>
                <option value="admin">Admin</option>
              </SelectField>
              <Field
                label="Chats at once"
                name="capacity"
                type="number"
                min={0}
                max={100}
                defaultValue={5}
                required
              />
            </div>
            <div className="md:col-span-2">
              <Button type="submit">Add agent</Button>
            </div>
          </form>
        </Card>
      ) : null}
    </div>
  );
}
