import type { Site, SiteListReply, Team } from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { call } from '../api/client';
import { useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Button, Card, Field, FormError, inputClass, SelectField } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { Option } from '../ui/OptionList';
import { botChoices } from './bots';
import { browserTimeZone, draftOf, scheduleOf } from './hours';
import { HoursBadge } from './HoursBadge';
import { HoursEditor } from './HoursEditor';
import { IdentitySettings } from './IdentitySettings';
import { InstallSnippet } from './InstallSnippet';
import { SiteTeams } from './SiteTeams';
import { installSnippet } from './snippet';
import { WidgetFields, widgetToSave } from './WidgetFields';
import { WidgetPreview } from './WidgetPreview';

/** The key's rule (the protocol's SiteKey), for the browser to check before the server does. */
export const SITE_KEY_PATTERN = '[a-z0-9][a-z0-9\\-]{1,39}';

/**
 * Settings → Sites → one site: its name and key, email sender and first-responder bot, its
 * teams in routing order and whether visitors choose among them, hours of its own, its widget,
 * its install snippet, and deleting it. One form, saved at once; the snippet shows the saved
 * key, the one pages reach the site by. Beside it, the site's identity verification (its own
 * secret, saved on each action; the default site's is Settings → Identity).
 */
export function SiteEditor({ site, teams }: { site: Site; teams: readonly Team[] }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const users = useUsers().data?.items ?? [];
  const [name, setName] = useState(site.name);
  const [key, setKey] = useState(site.key);
  const [sender, setSender] = useState(site.emailSenderName ?? '');
  const [botId, setBotId] = useState(site.botId ?? '');
  const [teamIds, setTeamIds] = useState<string[]>(site.teamIds);
  const [departmentChoice, setDepartmentChoice] = useState(site.departmentChoice);
  const [withHours, setWithHours] = useState(site.schedule !== null);
  const [hours, setHours] = useState(() => draftOf(site.schedule, browserTimeZone()));
  const [widget, setWidget] = useState(site.widget);
  const [origins, setOrigins] = useState(site.widget.allowedOrigins.join('\n'));

  // Opened from the list, the page starts at the site's name, which takes the focus.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const save = useSave({
    save: () => {
      let schedule = null;
      if (withHours) {
        const built = scheduleOf(hours);
        if ('error' in built) throw new Error(built.error);
        schedule = built.schedule;
      }
      const known = new Set(teams.map((t) => t.id));
      return call('updateSite', {
        params: { id: site.id },
        body: {
          name: name.trim(),
          key,
          widget: widgetToSave(widget, origins),
          teamIds: teamIds.filter((id) => known.has(id)),
          departmentChoice,
          schedule,
          emailSenderName: sender.trim() || null,
          botId: botId || null,
        },
      });
    },
    onSaved: (reply) =>
      qc.setQueryData<SiteListReply>(keys.sites, (d) =>
        d ? { items: d.items.map((s) => (s.id === reply.site.id ? reply.site : s)) } : d,
      ),
    done: 'Site saved',
    // The default site's widget is Settings → Widget's too.
    invalidates: site.isDefault ? [keys.widgetSettings] : [],
    errorIn: 'form',
  });
  const remove = useSave({
    save: () => call('deleteSite', { params: { id: site.id } }),
    onSaved: () => void navigate('/settings/sites'),
    done: `${site.name} deleted`,
    invalidates: [keys.sites],
    // Refused (the site has visitors), the reason stays beside the button.
    errorIn: 'form',
  });
  const confirmRemove = () => {
    if (window.confirm(`Delete the site ${site.name}? Its snippet stops working.`)) remove.run();
  };

  const { choices: bots } = botChoices(users, site.botId, "None (its team's bot, if any)");
  const snippet = site.isDefault ? installSnippet() : installSnippet(site.key);

  return (
    <div className="space-y-4">
      <Link
        to="/settings/sites"
        className="inline-flex items-center gap-1 text-sm font-medium text-blue-700 hover:underline"
      >
        <ArrowLeft aria-hidden className="h-4 w-4" /> All sites
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <h2
          ref={heading}
          tabIndex={-1}
          className="break-words text-lg font-semibold text-slate-900 focus:outline-none"
        >
          {site.name}
        </h2>
        {site.isDefault ? <DefaultBadge /> : null}
        <HoursBadge hours={site.hours} />
      </div>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <form onSubmit={submitted(() => save.run())} className="space-y-4">
          <Card title="Name, key and email">
            <div className="grid gap-3 md:grid-cols-2">
              <Field
                label="Site name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={60}
              />
              <Field
                label="Key"
                value={key}
                onChange={(e) => setKey(e.target.value)}
                required
                pattern={SITE_KEY_PATTERN}
                maxLength={40}
                className={`${inputClass} font-mono`}
                hint={
                  key === site.key
                    ? 'What the snippet names the site by: lower-case letters, digits and dashes.'
                    : 'Pages with the old key in their snippet stop reaching this site once saved.'
                }
              />
              <Field
                label="Email sender name"
                value={sender}
                onChange={(e) => setSender(e.target.value)}
                maxLength={60}
                placeholder="Outdoor Shop Support"
                hint="The name emails to this site's visitors come from. Empty: the server's own."
              />
              <SelectField
                label="Bot that answers its chats first"
                value={botId}
                onChange={(e) => setBotId(e.target.value)}
                options={bots}
              />
            </div>
          </Card>
          <Card title="Teams">
            <SiteTeams
              teams={teams}
              teamIds={teamIds}
              onTeamIds={setTeamIds}
              departmentChoice={departmentChoice}
              onDepartmentChoice={setDepartmentChoice}
            />
          </Card>
          <Card title="Hours">
            <div className="space-y-3">
              <Option
                checked={withHours}
                onChange={(e) => setWithHours(e.target.checked)}
                label="Hours of its own"
                description="Without them the site follows its teams' hours: open while any of them is, and always when one has none."
              />
              {withHours ? <HoursEditor draft={hours} onChange={setHours} /> : null}
            </div>
          </Card>
          <Card title="Widget">
            <div className="grid gap-3 md:grid-cols-2">
              <WidgetFields
                draft={widget}
                onChange={setWidget}
                origins={origins}
                onOrigins={setOrigins}
              />
            </div>
          </Card>
          {/* Kept in view at the bottom of a long form, as the place to save it from. */}
          <div className="sticky bottom-0 z-10 space-y-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
            <FormActions submit="Save site" busy={save.busy} error={save.error} />
          </div>
        </form>
        <div className="space-y-4">
          <InstallSnippet snippet={snippet} />
          {site.isDefault ? (
            <Card title="Identity verification">
              <p className="text-sm text-slate-600">
                The default site&apos;s secret is in{' '}
                <Link to="/settings/identity" className="font-medium text-blue-700 underline">
                  Settings → Identity
                </Link>
                .
              </p>
            </Card>
          ) : (
            <IdentitySettings siteId={site.id} />
          )}
          <Card title="Preview">
            <WidgetPreview settings={widget} />
          </Card>
          <Card title="Delete">
            {site.isDefault ? (
              <p className="text-sm text-slate-600">
                The default site stays: snippets without a key reach it.
              </p>
            ) : (
              <div className="space-y-2">
                <p className="text-sm text-slate-600">
                  A site with no visitors yet can be deleted. One with visitors stays, with their
                  conversations.
                </p>
                <FormError error={remove.error} />
                <Button variant="danger" disabled={remove.busy} onClick={confirmRemove}>
                  Delete site
                </Button>
              </div>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

/** Marks the site a snippet without a key reaches. */
export function DefaultBadge() {
  return (
    <span className="rounded-full bg-blue-50 px-2 py-0.5 text-xs font-medium text-blue-700 ring-1 ring-inset ring-blue-700/30">
      Default
    </span>
  );
}
