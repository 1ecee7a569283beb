import type { PreChatCustomField, PreChatFieldType } from '@parley/protocol';
import { Plus, Trash2 } from 'lucide-react';
import { Button, Field, inputClass, optionsOf, SelectField } from '../ui/controls';

const types: Record<PreChatFieldType, string> = {
  text: 'Text',
  select: 'Choice from a list',
  checkbox: 'Checkbox',
};
const typeOf = (v: string): PreChatFieldType => (v === 'select' || v === 'checkbox' ? v : 'text');

/** The answer's key in the visitor's attributes, from the question's label. */
export const keyFromLabel = (label: string): string =>
  label
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);

/** As the form keeps them: options one per line, blank lines and unused options dropped. */
export const cleanQuestions = (questions: PreChatCustomField[]): PreChatCustomField[] =>
  questions.map((q) => ({
    ...q,
    options: q.type === 'select' ? q.options.map((o) => o.trim()).filter(Boolean) : [],
  }));

type Props = {
  questions: PreChatCustomField[];
  onChange(questions: PreChatCustomField[]): void;
};

/**
 * The admin's own pre-chat questions, asked after name and email. Each answer is kept in the
 * visitor's attributes under the question's key, shown in the visitor panel and sent with the
 * visitor to integrations.
 */
export function PreChatQuestions({ questions, onChange }: Props) {
  const update = (index: number, patch: Partial<PreChatCustomField>) =>
    onChange(questions.map((q, i) => (i === index ? { ...q, ...patch } : q)));
  const add = () =>
    onChange([
      ...questions,
      {
        id: `question_${questions.length + 1}`,
        label: '',
        type: 'text',
        required: false,
        options: [],
      },
    ]);

  return (
    <fieldset className="space-y-3 md:col-span-2">
      <legend className="mb-1 text-sm font-medium text-slate-700">Pre-chat questions</legend>
      {questions.length === 0 ? (
        <p className="text-xs text-slate-600">
          None yet. Ask for an order number, a plan or a consent, beside name and email.
        </p>
      ) : null}
      {questions.map((q, index) => (
        <div
          key={index}
          className="grid gap-2 rounded-md border border-slate-200 p-3 md:grid-cols-2"
          data-testid="prechat-question"
        >
          <Field
            label={`Question ${index + 1}`}
            value={q.label}
            maxLength={100}
            required
            onChange={(e) => {
              const label = e.target.value;
              // The key follows the label until the admin sets one of their own.
              const derived = q.id === keyFromLabel(q.label) || q.id.startsWith('question_');
              update(index, {
                label,
                ...(derived && keyFromLabel(label) ? { id: keyFromLabel(label) } : {}),
              });
            }}
          />
          <Field
            label="Key"
            value={q.id}
            maxLength={40}
            pattern="[a-z][a-z0-9_]*"
            required
            hint="Where the answer is kept in the visitor's attributes."
            onChange={(e) => update(index, { id: e.target.value })}
          />
          <SelectField
            label="Answer"
            value={q.type}
            onChange={(e) => update(index, { type: typeOf(e.target.value) })}
            options={optionsOf(types)}
          />
          <div className="flex items-end justify-between gap-2">
            <label className="flex items-center gap-2 py-1.5 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={q.required}
                onChange={(e) => update(index, { required: e.target.checked })}
              />
              Required
            </label>
            <Button
              variant="danger"
              aria-label={`Remove question ${index + 1}`}
              onClick={() => onChange(questions.filter((_, i) => i !== index))}
            >
              <Trash2 aria-hidden className="h-4 w-4" /> Remove
            </Button>
          </div>
          {q.type === 'select' ? (
            <div className="space-y-1 md:col-span-2">
              <label
                htmlFor={`question-options-${index}`}
                className="block text-sm font-medium text-slate-700"
              >
                Options, one per line
              </label>
              <textarea
                id={`question-options-${index}`}
                rows={3}
                required
                value={q.options.join('\n')}
                onChange={(e) => update(index, { options: e.target.value.split('\n') })}
                className={inputClass}
              />
            </div>
          ) : null}
        </div>
      ))}
      <Button variant="secondary" onClick={add} disabled={questions.length >= 10}>
        <Plus aria-hidden className="h-4 w-4" /> Add a question
      </Button>
    </fieldset>
  );
}
