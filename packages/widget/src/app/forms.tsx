import type { PreChatField } from '@parley/protocol';
import { useState } from 'preact/hooks';
import { ApiError } from './api.js';

export type ContactDetails = { name: string; email: string; message: string };
type Field = keyof ContactDetails;
export type FormFields = Record<Field, PreChatField>;

const labels: Record<Field, string> = { name: 'Name', email: 'Email', message: 'Message' };
const order: Field[] = ['name', 'email', 'message'];

type Props = {
  intro: string;
  fields: FormFields;
  submitLabel: string;
  onSubmit(details: ContactDetails): Promise<void>;
};

/**
 * The pre-chat form and the offline form: the fields set to optional or required, in order.
 * The browser checks required fields and the email's shape before `onSubmit` runs.
 */
export function ContactForm({ intro, fields, submitLabel, onSubmit }: Props) {
  const [values, setValues] = useState<ContactDetails>({ name: '', email: '', message: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const shown = order.filter((f) => fields[f] !== 'off');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await onSubmit({
        name: values.name.trim(),
        email: values.email.trim(),
        message: values.message.trim(),
      });
    } catch (err) {
      // The server's reason, when it gave one ("Too many requests…"), says what to do.
      setError(err instanceof ApiError ? err.message : 'Something went wrong. Please try again.');
      setBusy(false);
    }
  };

  return (
    <form class="contact" onSubmit={submit}>
      <p class="intro">{intro}</p>
      {shown.map((f) => {
        const required = fields[f] === 'required';
        const props = {
          id: `f-${f}`,
          required,
          value: values[f],
          onInput: (e: Event & { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
            setValues({ ...values, [f]: e.currentTarget.value }),
        };
        return (
          <label key={f} for={props.id}>
            <span>
              {labels[f]}
              {required ? '' : ' (optional)'}
            </span>
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
      })}
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
