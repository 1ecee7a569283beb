import type { Team, User } from '@parley/protocol';
import { useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Field, SelectField } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { Option, OptionList } from '../ui/OptionList';
import { botChoices } from './bots';
import { browserTimeZone, draftOf, scheduleOf } from './hours';
import { HoursEditor } from './HoursEditor';

/**
 * Adds a team, or edits one: its name, its members, the bot that answers its chats first, and
 * its business hours (none: always open). The hours are checked here first, in the admin's
 * words, then by the server.
 */
export function TeamForm({
  team,
  users,
  onSaved,
  onCancel,
}: {
  team: Team | null;
  users: readonly User[];
  onSaved: (team: Team) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(team?.name ?? '');
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set(team?.memberIds));
  const [botId, setBotId] = useState(team?.botId ?? '');
  const [withHours, setWithHours] = useState(team ? team.schedule !== null : true);
  const [hours, setHours] = useState(() => draftOf(team?.schedule ?? null, browserTimeZone()));
  // Active people may join; whoever is in it already and still active (a bot) may be taken out.
  // A deactivated member is left out when saved: the server takes active agents only.
  const candidates = users.filter(
    (u) => u.active && (u.kind === 'person' || team?.memberIds.includes(u.id)),
  );
  const { choices: bots } = botChoices(users, team?.botId ?? null, 'No bot');

  const save = useSave({
    save: () => {
      let schedule = null;
      if (withHours) {
        const built = scheduleOf(hours);
        if ('error' in built) throw new Error(built.error);
        schedule = built.schedule;
      }
      const body = {
        name: name.trim(),
        memberIds: candidates.filter((u) => members.has(u.id)).map((u) => u.id),
        schedule,
        botId: botId || null,
      };
      return team
        ? call('updateTeam', { params: { id: team.id }, body })
        : call('createTeam', { body });
    },
    onSaved: (reply) => onSaved(reply.team),
    done: team ? 'Team saved' : 'Team added',
    // A site's hours follow its teams' when it has none of its own.
    invalidates: [keys.teams, keys.sites],
    errorIn: 'form',
  });
  const toggle = (id: string, on: boolean) => {
    const next = new Set(members);
    if (on) next.add(id);
    else next.delete(id);
    setMembers(next);
  };

  return (
    <form onSubmit={submitted(() => save.run())} className="space-y-4">
      <div className="grid gap-3 md:grid-cols-2">
        <Field
          label="Team name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={60}
          placeholder="Billing"
          autoFocus
        />
        <SelectField
          label="Bot that answers its chats first"
          value={botId}
          onChange={(e) => setBotId(e.target.value)}
          options={bots}
        />
      </div>
      <OptionList legend="Members">
        {candidates.length === 0 ? (
          <p className="text-sm text-slate-600">No active agents yet.</p>
        ) : (
          <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
            {candidates.map((u) => (
              <Option
                key={u.id}
                checked={members.has(u.id)}
                onChange={(e) => toggle(u.id, e.target.checked)}
                label={u.name}
                description={u.kind === 'bot' ? 'Bot' : u.email}
                descriptionClassName="break-all text-xs text-slate-600"
              />
            ))}
          </div>
        )}
      </OptionList>
      <div className="space-y-3">
        <Option
          checked={withHours}
          onChange={(e) => setWithHours(e.target.checked)}
          label="Business hours"
          description="Outside them routing gives the team no chats, and the widget tells visitors when it opens. Without hours the team is always open."
        />
        {withHours ? <HoursEditor draft={hours} onChange={setHours} /> : null}
      </div>
      <FormActions
        submit={team ? 'Save team' : 'Add team'}
        busy={save.busy}
        error={save.error}
        onCancel={onCancel}
      />
    </form>
  );
}
