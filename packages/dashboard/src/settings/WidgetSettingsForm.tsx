import type {
  PreChatField,
  WidgetColorScheme,
  WidgetSettings,
  WidgetSettingsReply,
} from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Copy } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import toast from 'react-hot-toast';
import { api } from '../api/client';
import { keys } from '../api/keys';
import { Button, Card, Field, inputClass, SelectField, Spinner } from '../ui/controls';
import { toastError } from '../ui/errors';
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
const colorSchemeOf = (v: string): WidgetColorScheme =>
  v === 'light' || v === 'dark' ? v : 'auto';
const preChatOf = (v: string): PreChatField => preChatOptions.find((o) => o === v) ?? 'off';

export function WidgetSettingsForm() {
  const qc = useQueryClient();
  const saved = useQuery({
    queryKey: keys.widgetSettings,
    queryFn: () => api<WidgetSettingsReply>('/api/settings/widget'),
  });
  const [draft, setDraft] = useState<WidgetSettings | null>(null);
  const [origins, setOrigins] = useState('');
  useEffect(() => {
    if (saved.data) {
      setDraft(saved.data.settings);
      setOrigins(saved.data.settings.allowedOrigins.join('\n'));
    }
  }, [saved.data]);
  if (!draft) return <Spinner />;

  const set = <K extends keyof WidgetSettings>(key: K, value: WidgetSettings[K]) =>
    setDraft({ ...draft, [key]: value });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const allowedOrigins = origins
      .split(/[\s,]+/)
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean);
    try {
      const reply = await api<WidgetSettingsReply>('/api/settings/widget', {
        method: 'PATCH',
        body: { ...draft, preChatFields: cleanQuestions(draft.preChatFields), allowedOrigins },
      });
      qc.setQueryData(keys.widgetSettings, reply);
      toast.success('Widget settings saved');
    } catch (err) {
      toastError(err);
    }
  };
  // The widget is served by the Parley server, wherever this dashboard is.
  const snippet = installSnippet();

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_24rem]">
      <Card title="Widget">
        <form onSubmit={save} className="grid gap-3 md:grid-cols-2">
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
          >
            <option value="right">Bottom right</option>
            <option value="left">Bottom left</option>
          </SelectField>
          <SelectField
            label="Colour scheme"
            value={draft.colorScheme}
            onChange={(e) => set('colorScheme', colorSchemeOf(e.target.value))}
          >
            {Object.entries(colorSchemes).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
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
              >
                {preChatOptions.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </SelectField>
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
                void navigator.clipboard.writeText(snippet).then(
                  () => toast.success('Snippet copied'),
                  () => toast.error('Copy failed: select the text instead'),
                )
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
