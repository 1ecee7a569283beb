import { RotateCw, X } from 'lucide-react';
import { FileKindIcon } from './Attachments';
import { formatSize } from './format';
import type { Upload } from './useUploads';

/** The files of the message being written: name, size, progress or why it was refused. */
export function FileChips(props: {
  uploads: readonly Upload[];
  onRemove: (id: string) => void;
  onRetry: (id: string) => void;
}) {
  if (props.uploads.length === 0) return null;
  return (
    <ul aria-label="Files to send" className="mb-2 flex flex-wrap gap-2">
      {props.uploads.map((u) => (
        <Chip
          key={u.id}
          upload={u}
          onRemove={() => props.onRemove(u.id)}
          onRetry={() => props.onRetry(u.id)}
        />
      ))}
    </ul>
  );
}

function Chip({
  upload: u,
  onRemove,
  onRetry,
}: {
  upload: Upload;
  onRemove: () => void;
  onRetry: () => void;
}) {
  const failed = u.state === 'failed';
  const percent = Math.round(u.progress * 100);
  return (
    <li
      data-testid="file-chip"
      data-state={u.state}
      className={`flex min-w-40 max-w-full items-start gap-2 rounded-md border px-2 py-1.5 text-xs sm:max-w-72 ${
        failed ? 'border-red-300 bg-red-50' : 'border-slate-200 bg-white'
      }`}
    >
      <FileKindIcon
        contentType={u.attachment?.contentType ?? ''}
        name={u.name}
        className={`mt-0.5 h-4 w-4 shrink-0 ${failed ? 'text-red-700' : 'text-slate-500'}`}
      />
      <div className="min-w-0 flex-1">
        <p className="flex items-baseline gap-1.5">
          <span className="truncate font-medium text-slate-900" title={u.name}>
            {u.name}
          </span>
          <span className="shrink-0 text-slate-600">{formatSize(u.size)}</span>
        </p>
        {u.state === 'uploading' ? (
          <div
            role="progressbar"
            aria-label={`Uploading ${u.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-200"
          >
            <div
              className="h-full rounded-full bg-blue-600 transition-[width]"
              style={{ width: `${percent}%` }}
            />
          </div>
        ) : null}
        {failed ? (
          <p role="alert" className="mt-0.5 break-words text-red-700">
            {u.error}
            {u.retryable ? (
              <button
                type="button"
                onClick={onRetry}
                className="ml-1 inline-flex items-center gap-0.5 font-medium underline"
              >
                <RotateCw aria-hidden className="h-3 w-3" /> Try again
              </button>
            ) : null}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${u.name}`}
        title="Remove"
        className="-m-0.5 shrink-0 rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
      >
        <X aria-hidden className="h-4 w-4" />
      </button>
    </li>
  );
}
