import type { Team } from '@parley/protocol';
import { ArrowDown, ArrowUp, X } from 'lucide-react';
import { Button, SelectField } from '../ui/controls';
import { Option } from '../ui/OptionList';
import { HoursBadge } from './HoursBadge';

/** The most teams a site may name (the protocol's TeamIds). */
const MAX_TEAMS = 20;

/**
 * A site's teams in the order routing tries them (the first open one gets a new chat), each
 * moved up or down or taken out, more added from the teams not in it yet; and whether the
 * visitor chooses among them on the pre-chat form, as departments.
 */
export function SiteTeams({
  teams,
  teamIds,
  onTeamIds,
  departmentChoice,
  onDepartmentChoice,
}: {
  teams: readonly Team[];
  teamIds: readonly string[];
  onTeamIds(ids: string[]): void;
  departmentChoice: boolean;
  onDepartmentChoice(on: boolean): void;
}) {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const others = teams.filter((t) => !teamIds.includes(t.id));
  const move = (index: number, by: -1 | 1) => {
    const next = [...teamIds];
    const [id] = next.splice(index, 1);
    if (id) next.splice(index + by, 0, id);
    onTeamIds(next);
  };
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        A new chat goes to the first of these teams that is open, else waits in the first one&apos;s
        queue. With none, any agent takes it.
      </p>
      {teamIds.length > 0 ? (
        <ol
          className="divide-y divide-slate-100 rounded-md border border-slate-200"
          aria-label="Teams in routing order"
        >
          {teamIds.map((id, index) => {
            // A team deleted since is named by nothing: it is dropped from the site too.
            const name = byId.get(id)?.name ?? 'A deleted team';
            return (
              <li
                key={id}
                className="flex flex-wrap items-center gap-x-2 gap-y-1 px-3 py-2"
                data-testid="site-team"
              >
                <span className="w-5 text-sm text-slate-600">{index + 1}.</span>
                <span className="min-w-0 flex-1 basis-32 break-words text-sm font-medium text-slate-900">
                  {name}
                </span>
                <HoursBadge hours={byId.get(id)?.hours ?? null} />
                <span className="flex">
                  <Button
                    variant="ghost"
                    className="px-1.5"
                    aria-label={`Move ${name} up`}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    <ArrowUp aria-hidden className="h-4 w-4" />
                  </Button>
                  <Button
                    variant="ghost"
                    className="px-1.5"
                    aria-label={`Move ${name} down`}
                    disabled={index === teamIds.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    <ArrowDown aria-hidden className="h-4 w-4" />
                  </Button>
                  <Button
                    variant="ghost"
                    className="px-1.5"
                    aria-label={`Remove ${name}`}
                    onClick={() => onTeamIds(teamIds.filter((t) => t !== id))}
                  >
                    <X aria-hidden className="h-4 w-4" />
                  </Button>
                </span>
              </li>
            );
          })}
        </ol>
      ) : null}
      {teams.length === 0 ? (
        <p className="text-sm text-slate-600">
          No teams yet: add them in Settings → Team, then choose them here.
        </p>
      ) : others.length > 0 && teamIds.length < MAX_TEAMS ? (
        <div className="max-w-sm">
          <SelectField
            label="Add a team"
            value=""
            onChange={(e) => {
              if (e.target.value) onTeamIds([...teamIds, e.target.value]);
            }}
            options={[
              { value: '', label: 'Choose a team…' },
              ...others.map((t) => ({ value: t.id, label: t.name })),
            ]}
          />
        </div>
      ) : null}
      <Option
        checked={departmentChoice}
        onChange={(e) => onDepartmentChoice(e.target.checked)}
        label="Let visitors choose a department"
        description="The pre-chat form offers these teams by name, and the chat goes to the one chosen."
      />
    </div>
  );
}
