import type { CannedResponse } from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import toast from 'react-hot-toast';
import { api } from '../api/client';
import { useCannedResponses } from '../api/hooks';
import { keys } from '../api/keys';
import { Button, Card, Field, inputClass } from '../ui/controls';
import { toastError } from '../ui/errors';

export function CannedResponsesSettings() {
  const items = useCannedResponses().data?.items ?? [];
  const qc = useQueryClient();
  const [editing, setEditing] = useState<CannedResponse | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: keys.canned });

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const body = {
      title: String(data.get('title')),
      shortcut: String(data.get('shortcut')).toLowerCase(),
      content: String(data.get('content')),
    };
    try {
      if (editing) await api(`/api/canned-responses/${editing.id}`, { method: 'PATCH', body });
      else await api('/api/canned-responses', { method: 'POST', body });
      toast.success(editing ? 'Canned response saved' : 'Canned response added');
      form.reset();
      setEditing(null);
      refresh();
    } catch (err) {
      toastError(err);
    }
  };

  const remove = async (c: CannedResponse) => {
    if (!window.confirm(`Delete #${c.shortcut}?`)) return;
    try {
      await api(`/api/canned-responses/${c.id}`, { method: 'DELETE' });
      refresh();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
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
                onClick={() => void remove(c)}
                aria-label={`Delete #${c.shortcut}`}
              >
                <Trash2 aria-hidden className="h-4 w-4" />
              </Button>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={editing ? `Edit #${editing.shortcut}` : 'New canned response'}>
        <form key={editing?.id ?? 'new'} onSubmit={save} className="space-y-3">
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
