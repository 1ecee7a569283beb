import type { CannedResponse } from '@parley/protocol';
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { call } from '../api/client';
import { useCannedResponses } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Button, Card, Field, inputClass } from '../ui/controls';

export function CannedResponsesSettings() {
  const items = useCannedResponses().data?.items ?? [];
  const [editing, setEditing] = useState<CannedResponse | null>(null);

  const save = useSave({
    save: (form: HTMLFormElement) => {
      const data = new FormData(form);
      const body = {
        title: String(data.get('title')),
        shortcut: String(data.get('shortcut')).toLowerCase(),
        content: String(data.get('content')),
      };
      return editing
        ? call('updateCannedResponse', { params: { id: editing.id }, body })
        : call('createCannedResponse', { body });
    },
    done: editing ? 'Canned response saved' : 'Canned response added',
    invalidates: [keys.canned],
    onSaved: (_, form) => {
      form.reset();
      setEditing(null);
    },
  });

  const remove = useSave({
    save: (c: CannedResponse) => call('deleteCannedResponse', { params: { id: c.id } }),
    invalidates: [keys.canned],
  });

  // minmax(0, …): a long response is cut short in its row, and does not widen the page.
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <Card title="Canned responses">
        {items.length === 0 ? (
          <p className="text-sm text-slate-600">None yet. Type #shortcut in a chat to use one.</p>
        ) : null}
        <ul className="divide-y divide-slate-100">
          {items.map((c) => (
            <li key={c.id} className="flex items-start gap-3 py-2">
              <div className="min-w-0 flex-1">
                <p className="text-sm">
                  <span className="font-mono text-blue-700">#{c.shortcut}</span>{' '}
                  <span className="font-medium text-slate-900">{c.title}</span>
                </p>
                <p className="truncate text-sm text-slate-600">{c.content}</p>
              </div>
              <Button variant="ghost" onClick={() => setEditing(c)}>
                Edit
              </Button>
              <Button
                variant="ghost"
                onClick={() => {
                  if (window.confirm(`Delete #${c.shortcut}?`)) remove.run(c);
                }}
                aria-label={`Delete #${c.shortcut}`}
              >
                <Trash2 aria-hidden className="h-4 w-4" />
              </Button>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={editing ? `Edit #${editing.shortcut}` : 'New canned response'}>
        <form key={editing?.id ?? 'new'} onSubmit={submitted(save.run)} className="space-y-3">
          <Field
            label="Title"
            name="title"
            defaultValue={editing?.title}
            required
            maxLength={100}
          />
          <Field
            label="Shortcut"
            name="shortcut"
            defaultValue={editing?.shortcut}
            required
            pattern="[a-z0-9_\-]+"
            maxLength={40}
            hint="Lowercase letters, digits, - and _. Type #shortcut in a chat."
          />
          <div className="space-y-1">
            <label htmlFor="canned-content" className="block text-sm font-medium text-slate-700">
              Text
            </label>
            <textarea
              id="canned-content"
              name="content"
              defaultValue={editing?.content}
              required
              rows={4}
              className={inputClass}
            />
          </div>
          <div className="flex gap-2">
            <Button type="submit">{editing ? 'Save' : 'Add'}</Button>
            {editing ? (
              <Button variant="secondary" onClick={() => setEditing(null)}>
                Cancel
              </Button>
            ) : null}
          </div>
        </form>
      </Card>
    </div>
  );
}
