import type { FileCategory, FileSettings } from '@parley/protocol';
import { MAX_FILE_MB } from '@parley/protocol/limits';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { fileCategories, useFileSettings } from '../files/settings';
import { Card, Field, Spinner } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { Option, OptionList } from '../ui/OptionList';

/** What visitors and agents may send as files: how large, and which kinds. */
export function FilesSettings() {
  const qc = useQueryClient();
  const saved = useFileSettings();
  const [draft, setDraft] = useState<FileSettings | null>(null);
  useEffect(() => {
    if (saved.data) setDraft(saved.data.settings);
  }, [saved.data]);
  const save = useSave({
    save: (settings: FileSettings) => call('updateFileSettings', { body: settings }),
    onSaved: (reply) => qc.setQueryData(keys.fileSettings, reply),
    done: 'File settings saved',
  });
  if (!draft) return <Spinner />;

  const toggle = (id: FileCategory, on: boolean) =>
    setDraft({
      ...draft,
      // Kept in the order they are listed, whatever order they were ticked in.
      types: fileCategories
        .map((c) => c.id)
        .filter((c) => (c === id ? on : draft.types.includes(c))),
    });

  return (
    <Card title="Files">
      <form onSubmit={submitted(() => save.run(draft))} className="max-w-xl space-y-4">
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
        <OptionList legend="Kinds of file allowed">
          {fileCategories.map((c) => (
            <Option
              key={c.id}
              checked={draft.types.includes(c.id)}
              onChange={(e) => toggle(c.id, e.target.checked)}
              label={c.label}
              description={c.description}
            />
          ))}
          {draft.types.length === 0 ? (
            <p className="text-sm text-amber-800">With no kind ticked, nobody can send files.</p>
          ) : null}
        </OptionList>
        <FormActions submit="Save" busy={save.busy} />
      </form>
    </Card>
  );
}
