import type { Site, SiteListReply, Team } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { call } from '../api/client';
import { useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Button, Card, Field, inputClass, Spinner } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { HoursBadge } from './HoursBadge';
import { DefaultBadge, SITE_KEY_PATTERN, SiteEditor } from './SiteEditor';

/**
 * Settings → Sites: the websites the widget is on, each with its own widget, key, teams and
 * hours; a form to add one. `?site=<id>` opens a site's editor, so that a reload or a link keeps
 * it open.
 */
export function SitesSettings() {
  const [params, setParams] = useSearchParams();
  const sites = useQuery({
    queryKey: keys.sites,
    queryFn: () => call('listSites'),
    // "Open now, until 17:00" is the server's reading at the time of the request.
    refetchInterval: 60_000,
  });
  const teams = useTeams();
  const [adding, setAdding] = useState(false);

  if (!sites.data || !teams.data) return <Spinner />;
  const open = sites.data.items.find((s) => s.id === params.get('site'));
  if (open) return <SiteEditor key={open.id} site={open} teams={teams.data.items} />;

  return (
    <div className="space-y-4">
      <Card
        title="Sites"
        actions={adding ? null : <Button onClick={() => setAdding(true)}>Add site</Button>}
      >
        <p className="mb-3 text-sm text-slate-600">
          Each website has its own widget, snippet and teams. The default site is the one a snippet
          without a key reaches; its widget is also in Settings → Widget.
        </p>
        <ul className="divide-y divide-slate-100" aria-label="Sites">
          {sites.data.items.map((s) => (
            <SiteRow key={s.id} site={s} teams={teams.data.items} />
          ))}
        </ul>
      </Card>
      {adding ? (
        <Card title="New site">
          <NewSiteForm
            onAdded={(site) => {
              setAdding(false);
              setParams({ site: site.id });
            }}
            onCancel={() => setAdding(false)}
          />
        </Card>
      ) : null}
    </div>
  );
}

function SiteRow({ site: s, teams }: { site: Site; teams: readonly Team[] }) {
  const names = s.teamIds.flatMap((id) => teams.find((t) => t.id === id)?.name ?? []);
  return (
    <li className="flex flex-wrap items-start gap-2 py-3" data-testid="site">
      <div className="min-w-0 flex-1 basis-64 space-y-1">
        <p className="flex flex-wrap items-center gap-2">
          <span className="break-words font-medium text-slate-900">{s.name}</span>
          {s.isDefault ? <DefaultBadge /> : null}
          <HoursBadge hours={s.hours} />
        </p>
        <p className="text-xs text-slate-600">
          Key <code className="break-all font-mono text-slate-900">{s.key}</code>
        </p>
        <p className="text-xs text-slate-600">
          {names.length === 0
            ? 'No teams: any agent takes its chats'
            : `${names.length === 1 ? 'Team' : 'Teams, in order'}: ${names.join(', ')}`}
          {s.departmentChoice && names.length > 0 ? ' · visitors choose' : ''}
        </p>
      </div>
      <Link
        to={`/settings/sites?site=${s.id}`}
        aria-label={`Edit ${s.name}`}
        className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
      >
        Edit
      </Link>
    </li>
  );
}

/** A new site needs only a name; its key is made up when left empty. The editor opens next. */
function NewSiteForm({ onAdded, onCancel }: { onAdded(site: Site): void; onCancel(): void }) {
  const qc = useQueryClient();
  const add = useSave({
    save: (form: HTMLFormElement) => {
      const data = new FormData(form);
      const key = String(data.get('key')).trim();
      return call('createSite', {
        body: { name: String(data.get('name')).trim(), ...(key ? { key } : {}) },
      });
    },
    onSaved: (reply) => {
      // In the list at once, for its editor to open on.
      qc.setQueryData<SiteListReply>(keys.sites, (d) =>
        d ? { items: [...d.items, reply.site] } : d,
      );
      onAdded(reply.site);
    },
    done: (reply) => `${reply.site.name} added`,
    errorIn: 'form',
  });
  return (
    <form onSubmit={submitted(add.run)} className="max-w-xl space-y-4">
      <Field label="Site name" name="name" required maxLength={60} autoFocus />
      <Field
        label="Key (optional)"
        name="key"
        pattern={SITE_KEY_PATTERN}
        maxLength={40}
        className={`${inputClass} font-mono`}
        hint="What its snippet names it by: lower-case letters, digits and dashes. Made up when left empty."
      />
      <FormActions submit="Add site" busy={add.busy} error={add.error} onCancel={onCancel} />
    </form>
  );
}
