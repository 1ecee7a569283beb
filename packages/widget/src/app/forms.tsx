import type { PreChatCustomField, PreChatField, WidgetConfig } from '@parley/protocol';
import { useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { fill, useLanguage } from './i18n.js';
import type { Look } from './look.js';

export type ContactDetails = {
  name: string;
  email: string;
  message: string;
  /** Answers to the admin's own questions, by field id (checkboxes: "true" or "false"). */
  attributes?: Record<string, string>;
  /** The department chosen, when the site offers a choice. */
  teamId?: string;
};
type Field = 'name' | 'email' | 'message';
export type FormFields = Record<Field, PreChatField>;

type Props = {
  intro: string;
  fields: FormFields;
  /** What the site already told (`setUser`, `setVisitor`): not asked again. */
  known: { name: string | null; email: string | null };
  /** The admin's own questions, asked after name and email, before the message. */
  custom: readonly PreChatCustomField[];
  /** The site's teams the visitor chooses among (none: no choice), each marked while away. */
  departments: WidgetConfig['departments'];
  look: Look;
  submitLabel: string;
  onSubmit(details: ContactDetails): Promise<void>;
};

type Input = Event & { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement };

/**
 * The pre-chat form and the offline form: the fields set to optional or required, in order,
 * but for a name or email already known (those come back empty). The browser checks required
 * fields and the email's shape before `onSubmit` runs.
 */
export function ContactForm(props: Props) {
  const { intro, fields, known, custom, departments, look, submitLabel, onSubmit } = props;
  const { t } = useLanguage();
  const [values, setValues] = useState({ name: '', email: '', message: '' });
  const [teamId, setTeamId] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const shown = (['name', 'email'] as const).filter((f) => fields[f] !== 'off' && !known[f]);
  const caption = (label: string, required: boolean) =>
    required ? label : fill(t.optional, { label });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const attributes: Record<string, string> = {};
    for (const f of custom) {
      const answer = answers[f.id]?.trim() ?? '';
      if (f.type === 'checkbox') attributes[f.id] = answer === 'true' ? 'true' : 'false';
      else if (answer) attributes[f.id] = answer;
    }
    try {
      await onSubmit({
        name: values.name.trim(),
        email: values.email.trim(),
        message: values.message.trim(),
        attributes,
        ...(teamId ? { teamId } : {}),
      });
    } catch (err) {
      // The server's reason, when it gave one ("Too many requests…"), says what to do.
      setError(err instanceof ApiError ? err.message : t.failed);
      setBusy(false);
    }
  };

  const builtIn = (f: Field) => {
    const required = fields[f] === 'required';
    const props = {
      id: `f-${f}`,
      required,
      value: values[f],
      onInput: (e: Input) => setValues({ ...values, [f]: e.currentTarget.value }),
    };
    return (
      <label key={f} for={props.id}>
        <span>{caption(look.label(f), required)}</span>
        {f === 'message' ? (
          <textarea rows={4} {...props} />
        ) : (
          <input
            type={f === 'email' ? 'email' : 'text'}
            autoComplete={f}
            maxLength={f === 'email' ? 254 : 100}
            {...props}
          />
        )}
      </label>
    );
  };

  const question = (f: PreChatCustomField) => {
    const id = `q-${f.id}`;
    const value = answers[f.id] ?? '';
    const answer = (next: string) => setAnswers({ ...answers, [f.id]: next });
    const label = caption(look.label(f), f.required);
    if (f.type === 'checkbox') {
      return (
        <label key={f.id} for={id} class="check">
          <input
            id={id}
            type="checkbox"
            required={f.required}
            checked={value === 'true'}
            onChange={(e) => answer(String(e.currentTarget.checked))}
          />
          <span>{label}</span>
        </label>
      );
    }
    return (
      <label key={f.id} for={id}>
        <span>{label}</span>
        {f.type === 'select' ? (
          <select
            id={id}
            required={f.required}
            value={value}
            onChange={(e) => answer(e.currentTarget.value)}
          >
            <option value="">{t.choose}</option>
            {f.options.map((o) => (
              <option key={o} value={o}>
                {look.option(f, o)}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            type="text"
            required={f.required}
            maxLength={500}
            value={value}
            onInput={(e) => answer(e.currentTarget.value)}
          />
        )}
      </label>
    );
  };

  return (
    <form class="contact" onSubmit={submit}>
      <p class="intro">{intro}</p>
      {shown.map(builtIn)}
      {departments.length > 0 && (
        <label for="f-team">
          <span>{t.department}</span>
          <select
            id="f-team"
            required
            value={teamId}
            onChange={(e) => setTeamId(e.currentTarget.value)}
          >
            <option value="">{t.choose}</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.hours && !d.hours.open ? `${d.name} · ${t.away}` : d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {custom.map(question)}
      {fields.message !== 'off' && builtIn('message')}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button class="primary" type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
