import {
  MAX_FILE_MB,
  type FileCategory,
  type FileSettings,
  type FileSettingsReply,
} from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import toast from 'react-hot-toast';
import { api } from '../api/client';
import { fileCategories, fileSettingsKey, useFileSettings } from '../files/settings';
import { Button, Card, Field, Spinner } from '../ui/controls';
import { toastError } from '../ui/errors';

/** What visitors and agents may send as files: how large, and which kinds. */
export function FilesSettings() {
  const qc = useQueryClient();
  const saved = useFileSettings();
  const [draft, setDraft] = useState<FileSettings | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (saved.data) setDraft(saved.data.settings);
  }, [saved.data]);
  if (!draft) return <Spinner />;

  const toggle = (id: FileCategory, on: boolean) =>
    setDraft({
      ...draft,
      // Kept in the order they are listed, whatever order they were ticked in.
      types: fileCategories
        .map((c) => c.id)
        .filter((c) => (c === id ? on : draft.types.includes(c))),
    });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      const reply = await api<FileSettingsReply>('/api/settings/files', {
        method: 'PATCH',
        body: draft,
      });
      qc.setQueryData(fileSettingsKey, reply);
      toast.success('File settings saved');
    } catch (err) {
      toastError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="Files">
      <form onSubmit={save} className="max-w-xl space-y-4">
        <p className="text-sm text-slate-600">
          What visitors (in the widget) and agents (in chats and notes) may send. Parley reads each
          file to know its kind, whatever its name says; web pages and SVG images are never
          accepted.
        </p>
        <div className="max-w-48">
          <Field
            label="Largest file (MB)"
            type="number"
            min={0.1}
            max={MAX_FILE_MB}
            step={0.1}
            required
            value={Number.isFinite(draft.maxMb) ? draft.maxMb : ''}
            onChange={(e) => setDraft({ ...draft, maxMb: e.target.valueAsNumber })}
            hint={`Up to ${MAX_FILE_MB} MB.`}
          />
        </div>
        <fieldset className="space-y-2">
          <legend className="mb-1 text-sm font-medium text-slate-700">Kinds of file allowed</legend>
          {fileCategories.map((c) => (
            <label key={c.id} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                checked={draft.types.includes(c.id)}
                onChange={(e) => toggle(c.id, e.target.checked)}
                className="mt-0.5 h-4 w-4 shrink-0 accent-blue-600"
              />
              <span>
                <span className="font-medium text-slate-900">{c.label}</span>
                <span className="block text-slate-600">{c.description}</span>
              </span>
            </label>
          ))}
          {draft.types.length === 0 ? (
            <p className="text-sm text-amber-800">With no kind ticked, nobody can send files.</p>
          ) : null}
        </fieldset>
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </form>
    </Card>
  );
}
