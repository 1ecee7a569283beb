import type { WidgetSettings } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { useSites } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Button, Card, Spinner } from '../ui/controls';
import { InstallSnippet } from './InstallSnippet';
import { installSnippet } from './snippet';
import { WidgetFields, widgetToSave } from './WidgetFields';
import { WidgetPreview } from './WidgetPreview';

/**
 * Settings → Widget: the default site's widget (the one a snippet without a key reaches, as
 * Parley had before there were sites). Every other site's is edited in Settings → Sites.
 */
export function WidgetSettingsForm() {
  const qc = useQueryClient();
  const saved = useQuery({
    queryKey: keys.widgetSettings,
    queryFn: () => call('getWidgetSettings'),
  });
  const sites = useSites().data?.items ?? [];
  const [draft, setDraft] = useState<WidgetSettings | null>(null);
  const [origins, setOrigins] = useState('');
  useEffect(() => {
    if (saved.data) {
      setDraft(saved.data.settings);
      setOrigins(saved.data.settings.allowedOrigins.join('\n'));
    }
  }, [saved.data]);
  const save = useSave({
    save: (settings: WidgetSettings) =>
      call('updateWidgetSettings', { body: widgetToSave(settings, origins) }),
    onSaved: (reply) => qc.setQueryData(keys.widgetSettings, reply),
    done: 'Widget settings saved',
    // The default site's widget, as Settings → Sites shows it.
    invalidates: [keys.sites],
  });
  if (!draft) return <Spinner />;

  // The widget is served by the Parley server, wherever this dashboard is.
  const snippet = installSnippet();
  const defaultSite = sites.find((s) => s.isDefault);

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_24rem]">
      <Card title="Widget">
        {sites.length > 1 ? (
          <p className="mb-3 text-sm text-slate-600">
            This is the widget of {defaultSite?.name ?? 'the default site'}, the site a snippet
            without a key reaches. Your other sites have theirs in{' '}
            <Link to="/settings/sites" className="text-blue-700 underline">
              Settings → Sites
            </Link>
            .
          </p>
        ) : null}
        <form onSubmit={submitted(() => save.run(draft))} className="grid gap-3 md:grid-cols-2">
          <WidgetFields
            draft={draft}
            onChange={setDraft}
            origins={origins}
            onOrigins={setOrigins}
          />
          <div className="md:col-span-2">
            <Button type="submit">Save widget settings</Button>
          </div>
        </form>
      </Card>
      <div className="space-y-4">
        <Card title="Preview">
          <WidgetPreview settings={draft} />
        </Card>
        <InstallSnippet snippet={snippet} />
      </div>
    </div>
  );
}
