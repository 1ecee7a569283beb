import type { PreChatField, WidgetColorScheme, WidgetSettings } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Copy } from 'lucide-react';
import { useEffect, useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Button, Card, Field, inputClass, optionsOf, SelectField, Spinner } from '../ui/controls';
import { copyText } from '../ui/copy';
import { cleanQuestions, PreChatQuestions } from './PreChatQuestions';
import { installSnippet } from './snippet';
import { WidgetLanguages } from './WidgetLanguages';
import { WidgetPreview } from './WidgetPreview';

const preChatOptions: readonly PreChatField[] = ['off', 'optional', 'required'];
const colorSchemes: Record<WidgetColorScheme, string> = {
  auto: "As the visitor's device",
  light: 'Light',
  dark: 'Dark',
};
const positions = [
  { value: 'right', label: 'Bottom right' },
  { value: 'left', label: 'Bottom left' },
];
const colorSchemeOf = (v: string): WidgetColorScheme =>
  v === 'light' || v === 'dark' ? v : 'auto';
const preChatOf = (v: string): PreChatField => preChatOptions.find((o) => o === v) ?? 'off';

export function WidgetSettingsForm() {
  const qc = useQueryClient();
  const saved = useQuery({
    queryKey: keys.widgetSettings,
    queryFn: () => call('getWidgetSettings'),
  });
  const [draft, setDraft] = useState<WidgetSettings | null>(null);
  const [origins, setOrigins] = useState('');
  useEffect(() => {
    if (saved.data) {
      setDraft(saved.data.settings);
      setOrigins(saved.data.settings.allowedOrigins.join('\n'));
    }
  }, [saved.data]);
  const save = useSave({
    save: (settings: WidgetSettings) => {
      const allowedOrigins = origins
        .split(/[\s,]+/)
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter(Boolean);
      return call('updateWidgetSettings', {
        body: {
          ...settings,
          preChatFields: cleanQuestions(settings.preChatFields),
          allowedOrigins,
        },
      });
    },
    onSaved: (reply) => qc.setQueryData(keys.widgetSettings, reply),
    done: 'Widget settings saved',
  });
  if (!draft) return <Spinner />;

  const set = <K extends keyof WidgetSettings>(key: K, value: WidgetSettings[K]) =>
    setDraft({ ...draft, [key]: value });
  // The widget is served by the Parley server, wherever this dashboard is.
  const snippet = installSnippet();

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_24rem]">
      <Card title="Widget">
        <form onSubmit={submitted(() => save.run(draft))} className="grid gap-3 md:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor="widget-color" className="block text-sm font-medium text-slate-700">
              Colour
            </label>
            <div className="flex gap-2">
              <input
                id="widget-color"
                type="color"
                value={draft.color}
                onChange={(e) => set('color', e.target.value)}
                className="h-9 w-12 rounded border border-slate-300"
              />
              <input
                aria-label="Colour (hex)"
                value={draft.color}
                onChange={(e) => set('color', e.target.value)}
                className={inputClass}
                pattern="#[0-9a-fA-F]{6}"
              />
            </div>
          </div>
          <SelectField
            label="Position"
            value={draft.position}
            onChange={(e) => set('position', e.target.value === 'left' ? 'left' : 'right')}
            options={positions}
          />
          <SelectField
            label="Colour scheme"
            value={draft.colorScheme}
            onChange={(e) => set('colorScheme', colorSchemeOf(e.target.value))}
            options={optionsOf(colorSchemes)}
          />
          <Field
            label="Title"
            value={draft.title}
            maxLength={60}
            onChange={(e) => set('title', e.target.value)}
          />
          <Field
            label="Greeting"
            value={draft.greeting}
            maxLength={500}
            onChange={(e) => set('greeting', e.target.value)}
          />
          <div className="md:col-span-2">
            <Field
              label="Away message"
              value={draft.awayMessage}
              maxLength={500}
              onChange={(e) => set('awayMessage', e.target.value)}
            />
          </div>
          <fieldset className="grid grid-cols-3 gap-2 md:col-span-2">
            <legend className="mb-1 text-sm font-medium text-slate-700">Pre-chat form</legend>
            {(['name', 'email', 'message'] as const).map((field) => (
              <SelectField
                key={field}
                label={field[0]?.toUpperCase() + field.slice(1)}
                value={draft.preChat[field]}
                onChange={(e) =>
                  set('preChat', { ...draft.preChat, [field]: preChatOf(e.target.value) })
                }
                options={preChatOptions.map((o) => ({ value: o, label: o }))}
              />
            ))}
          </fieldset>
          <PreChatQuestions
            questions={draft.preChatFields}
            onChange={(questions) => set('preChatFields', questions)}
          />
          <WidgetLanguages
            defaultLocale={draft.defaultLocale}
            translations={draft.translations}
            questions={draft.preChatFields}
            onDefaultLocale={(locale) => set('defaultLocale', locale)}
            onTranslations={(translations) => set('translations', translations)}
          />
          <div className="space-y-1 md:col-span-2">
            <label htmlFor="widget-origins" className="block text-sm font-medium text-slate-700">
              Allowed origins
            </label>
            <textarea
              id="widget-origins"
              rows={3}
              value={origins}
              onChange={(e) => setOrigins(e.target.value)}
              placeholder="https://shop.example.com"
              className={inputClass}
            />
            <p className="text-xs text-slate-600">
              One per line. Empty allows any site (handy while trying Parley out).
            </p>
          </div>
          <div className="md:col-span-2">
            <Button type="submit">Save widget settings</Button>
          </div>
        </form>
      </Card>
      <div className="space-y-4">
        <Card title="Preview">
          <WidgetPreview settings={draft} />
        </Card>
        <Card
          title="Install"
          actions={
            <Button
              variant="secondary"
              onClick={() =>
                void copyText(snippet, {
                  done: 'Snippet copied',
                  failed: 'Copy failed: select the text instead',
                })
              }
            >
              <Copy aria-hidden className="h-4 w-4" /> Copy
            </Button>
          }
        >
          <p className="mb-2 text-sm text-slate-600">
            Paste before &lt;/body&gt; on every page of your site:
          </p>
          <pre
            className="whitespace-pre-wrap break-all rounded bg-slate-900 p-3 text-xs text-slate-100"
            aria-label="Install snippet"
          >
            {snippet}
          </pre>
        </Card>
      </div>
    </div>
  );
}
