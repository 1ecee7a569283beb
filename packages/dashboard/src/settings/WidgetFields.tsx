import type { PreChatField, WidgetColorScheme, WidgetSettings } from '@parley/protocol';
import { Field, inputClass, optionsOf, SelectField } from '../ui/controls';
import { cleanQuestions, PreChatQuestions } from './PreChatQuestions';
import { WidgetLanguages } from './WidgetLanguages';

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

/** The allowed origins as the admin typed them (one per line, or commas), without a final /. */
export const originsFrom = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);

/** A widget's settings as the API takes them from the form: questions and origins cleaned. */
export const widgetToSave = (draft: WidgetSettings, origins: string): WidgetSettings => ({
  ...draft,
  preChatFields: cleanQuestions(draft.preChatFields),
  allowedOrigins: originsFrom(origins),
});

/**
 * A site's widget, edited: look, texts, pre-chat form and questions, languages, and the origins
 * allowed to embed it. The same fields serve Settings → Widget (the default site) and every
 * site in Settings → Sites; the origins are kept as typed until saved (`widgetToSave`).
 */
export function WidgetFields({
  draft,
  onChange,
  origins,
  onOrigins,
}: {
  draft: WidgetSettings;
  onChange(draft: WidgetSettings): void;
  origins: string;
  onOrigins(origins: string): void;
}) {
  const set = <K extends keyof WidgetSettings>(key: K, value: WidgetSettings[K]) =>
    onChange({ ...draft, [key]: value });
  return (
    <>
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
          onChange={(e) => onOrigins(e.target.value)}
          placeholder="https://shop.example.com"
          className={inputClass}
        />
        <p className="text-xs text-slate-600">
          One per line. Empty allows any site (handy while trying Parley out).
        </p>
      </div>
    </>
  );
}
