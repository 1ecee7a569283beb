import type { PreChatCustomField, WidgetLocale, WidgetTranslation } from '@parley/protocol';
import { WIDGET_LOCALES } from '@parley/protocol/widget-frame';
import { useState } from 'react';
import { Field, SelectField } from '../ui/controls';

const names = new Intl.DisplayNames(['en'], { type: 'language' });
/** A language's name in English, and in its own words: "Arabic (العربية)". */
export const languageName = (code: WidgetLocale): string => {
  const own = new Intl.DisplayNames([code], { type: 'language' }).of(code);
  return code === 'en' ? 'English' : `${names.of(code) ?? code} (${own ?? code})`;
};
const localeOptions = WIDGET_LOCALES.map((code) => ({ value: code, label: languageName(code) }));
const localeOf = (v: string): WidgetLocale => WIDGET_LOCALES.find((l) => l === v) ?? 'en';

type Translations = Partial<Record<WidgetLocale, WidgetTranslation>>;
type Props = {
  defaultLocale: WidgetLocale;
  translations: Translations;
  questions: PreChatCustomField[];
  onDefaultLocale(locale: WidgetLocale): void;
  onTranslations(translations: Translations): void;
};

/** An empty text is no override: the widget's own translation (or the main text) shows. */
function withText(
  translation: WidgetTranslation,
  key: 'title' | 'greeting' | 'awayMessage',
  value: string,
): WidgetTranslation {
  const { [key]: _old, ...rest } = translation;
  return value ? { ...rest, [key]: value } : rest;
}

function withLabel(translation: WidgetTranslation, field: string, value: string) {
  const { [field]: _old, ...fields } = translation.fields ?? {};
  return { ...translation, fields: value ? { ...fields, [field]: value } : fields };
}

/** A select's choice in this language; the answer kept is still the option as set above. */
function withOption(
  translation: WidgetTranslation,
  field: string,
  option: string,
  value: string,
): WidgetTranslation {
  const { [field]: choices = {}, ...others } = translation.options ?? {};
  const { [option]: _old, ...rest } = choices;
  const next = value ? { ...rest, [option]: value } : rest;
  return {
    ...translation,
    options: Object.keys(next).length ? { ...others, [field]: next } : others,
  };
}

/**
 * The widget's languages: which one visitors get when their browser asks for none the widget
 * speaks, and the admin's wording per language for the greeting and the form.
 */
export function WidgetLanguages(props: Props) {
  const [editing, setEditing] = useState<WidgetLocale>(props.defaultLocale === 'en' ? 'es' : 'en');
  const translation = props.translations[editing] ?? {};
  const set = (next: WidgetTranslation) =>
    props.onTranslations({ ...props.translations, [editing]: next });
  const labels: Array<{ key: string; label: string }> = [
    { key: 'name', label: 'Name' },
    { key: 'email', label: 'Email' },
    ...props.questions.map((q) => ({ key: q.id, label: q.label || q.id })),
    { key: 'message', label: 'Message' },
  ];
  const choices = props.questions.flatMap((q) =>
    q.type === 'select'
      ? q.options.map((option) => ({ field: q.id, question: q.label || q.id, option }))
      : [],
  );

  return (
    <fieldset className="grid gap-3 md:col-span-2 md:grid-cols-2">
      <legend className="mb-1 text-sm font-medium text-slate-700">Languages</legend>
      <SelectField
        label="Default language"
        value={props.defaultLocale}
        onChange={(e) => props.onDefaultLocale(localeOf(e.target.value))}
        options={localeOptions}
      />
      <p className="self-end text-xs text-slate-600">
        Visitors read the widget in their browser&apos;s language when it is one of these, else in
        the default. A site may choose with <code>LiveChatWidget.setLocale</code>.
      </p>
      <SelectField
        label="Wording for"
        value={editing}
        onChange={(e) => setEditing(localeOf(e.target.value))}
        options={localeOptions}
      />
      <p className="self-end text-xs text-slate-600">
        Leave a text empty to use the widget&apos;s own translation, or your main text above.
      </p>
      <Field
        label={`Title (${editing})`}
        value={translation.title ?? ''}
        maxLength={60}
        onChange={(e) => set(withText(translation, 'title', e.target.value))}
      />
      <Field
        label={`Greeting (${editing})`}
        value={translation.greeting ?? ''}
        maxLength={500}
        onChange={(e) => set(withText(translation, 'greeting', e.target.value))}
      />
      <div className="md:col-span-2">
        <Field
          label={`Away message (${editing})`}
          value={translation.awayMessage ?? ''}
          maxLength={500}
          onChange={(e) => set(withText(translation, 'awayMessage', e.target.value))}
        />
      </div>
      {labels.map(({ key, label }) => (
        <Field
          key={key}
          label={`Form label “${label}” (${editing})`}
          value={translation.fields?.[key] ?? ''}
          maxLength={100}
          onChange={(e) => set(withLabel(translation, key, e.target.value))}
        />
      ))}
      {choices.map(({ field, question, option }) => (
        <Field
          key={`${field}\n${option}`}
          label={`Choice “${option}” of “${question}” (${editing})`}
          value={translation.options?.[field]?.[option] ?? ''}
          maxLength={100}
          onChange={(e) => set(withOption(translation, field, option, e.target.value))}
        />
      ))}
    </fieldset>
  );
}
