import type { Team, User } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { call } from '../api/client';
import { useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { useMe } from '../auth/AuthProvider';
import { Button, Card, Spinner } from '../ui/controls';
import { exceptionsSummary, scheduleSummary } from './hours';
import { HoursBadge } from './HoursBadge';
import { TeamForm } from './TeamForm';

/** The most members named in a team's line; the rest are counted. */
const NAMED = 8;

/**
 * Settings → Team → Teams: the teams agents work in (Billing, Technical…), each with its members
 * and its hours, and whether they have it open now. Admins add, change and delete them; every
 * agent reads them.
 */
export function TeamsSettings() {
  const isAdmin = useMe().role === 'admin';
  const teams = useQuery({
    queryKey: keys.teams,
    queryFn: () => call('listTeams'),
    // "Open now, until 17:00" is the server's reading at the time of the request.
    refetchInterval: 60_000,
  });
  const users = useUsers().data?.items ?? [];
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const remove = useSave({
    save: (team: Team) => call('deleteTeam', { params: { id: team.id } }),
    onSaved: (_, team) => {
      if (editing !== 'new' && editing?.id === team.id) setEditing(null);
    },
    done: (_, team) => `${team.name} deleted`,
    invalidates: [keys.teams, keys.sites],
  });
  const confirmRemove = (team: Team) => {
    const sure = window.confirm(
      `Delete the team ${team.name}? Its agents stay, in their other teams; sites stop sending it chats.`,
    );
    if (sure) remove.run(team);
  };

  return (
    <>
      <Card
        title="Teams"
        actions={
          isAdmin && editing !== 'new' ? (
            <Button onClick={() => setEditing('new')}>Add team</Button>
          ) : null
        }
      >
        <p className="mb-3 text-sm text-slate-600">
          Each team has its own queue and, if it has hours, is given chats only while open. A
          site&apos;s chats go to its teams, in Settings → Sites.
        </p>
        {!teams.data ? (
          <Spinner />
        ) : teams.data.items.length === 0 ? (
          <p className="text-sm text-slate-600">No teams yet: any agent takes any chat.</p>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Teams">
            {teams.data.items.map((t) => (
              <TeamRow
                key={t.id}
                team={t}
                users={users}
                actions={
                  isAdmin ? (
                    <>
                      <Button
                        variant="secondary"
                        aria-label={`Edit ${t.name}`}
                        onClick={() => setEditing(t)}
                      >
                        Edit
                      </Button>
                      <Button
                        variant="ghost"
                        aria-label={`Delete ${t.name}`}
                        onClick={() => confirmRemove(t)}
                      >
                        <Trash2 aria-hidden className="h-4 w-4" />
                      </Button>
                    </>
                  ) : null
                }
              />
            ))}
          </ul>
        )}
      </Card>
      {editing ? (
        <Card title={editing === 'new' ? 'New team' : `Edit ${editing.name}`}>
          <TeamForm
            key={editing === 'new' ? 'new' : editing.id}
            team={editing === 'new' ? null : editing}
            users={users}
            onSaved={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        </Card>
      ) : null}
    </>
  );
}

function TeamRow({
  team: t,
  users,
  actions,
}: {
  team: Team;
  users: readonly User[];
  actions: ReactNode;
}) {
  const members = users.filter((u) => t.memberIds.includes(u.id)).map((u) => u.name);
  const bot = users.find((u) => u.id === t.botId);
  const dates = t.schedule ? exceptionsSummary(t.schedule) : null;
  return (
    <li className="flex flex-wrap items-start gap-2 py-3" data-testid="team">
      <div className="min-w-0 flex-1 basis-64 space-y-1">
        <p className="flex flex-wrap items-center gap-2">
          <span className="break-words font-medium text-slate-900">{t.name}</span>
          <HoursBadge hours={t.hours} />
        </p>
        {t.schedule ? (
          <p className="text-xs text-slate-700">{scheduleSummary(t.schedule)}</p>
        ) : null}
        {dates ? <p className="text-xs text-slate-700">{dates}</p> : null}
        <p className="text-xs text-slate-600">
          {members.length === 0
            ? 'No members yet'
            : `${members.length} ${members.length === 1 ? 'member' : 'members'}: ${members.slice(0, NAMED).join(', ')}${
                members.length > NAMED ? ` and ${members.length - NAMED} more` : ''
              }`}
          {bot ? ` · ${bot.name} answers first` : ''}
        </p>
      </div>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </li>
  );
}
