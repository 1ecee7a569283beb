import type { Attachment } from '@parley/protocol';
import {
  Download,
  ExternalLink,
  FileArchive,
  FileImage,
  FileSpreadsheet,
  FileText,
  File as FileIcon,
  Presentation,
  X,
  type LucideIcon,
} from 'lucide-react';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { toastError } from '../ui/errors';
import { formatSize, isImage, kindOf, thumbnailSize, typeLabel, type FileKind } from './format';
import { freshFileUrl, useFileUrl } from './urls';

const ICONS: Record<FileKind, LucideIcon> = {
  image: FileImage,
  pdf: FileText,
  text: FileText,
  sheet: FileSpreadsheet,
  slides: Presentation,
  archive: FileArchive,
  other: FileIcon,
};

export function FileKindIcon(props: { contentType: string; name: string; className?: string }) {
  const Icon = ICONS[kindOf(props.contentType, props.name)];
  return <Icon aria-hidden className={props.className} />;
}

/** A message's files under its text: images as thumbnails, other files as cards. */
export function Attachments({
  attachments,
  align,
  className = '',
}: {
  attachments: readonly Attachment[];
  align: 'start' | 'end';
  className?: string;
}) {
  if (attachments.length === 0) return null;
  return (
    <ul
      aria-label="Files"
      className={`mt-1 flex max-w-[85%] flex-wrap gap-2 md:max-w-[75%] ${
        align === 'end' ? 'justify-end' : 'justify-start'
      } ${className}`}
    >
      {attachments.map((a) => (
        <li key={a.id} className="max-w-full">
          {isImage(a.contentType) ? <Thumbnail attachment={a} /> : <FileCard attachment={a} />}
        </li>
      ))}
    </ul>
  );
}

/**
 * An image at most 240 px each way. Its box has the image's proportions from the start (the
 * server measured it), so the list keeps its place while the link and the bytes arrive.
 */
function Thumbnail({ attachment: a }: { attachment: Attachment }) {
  const { url, failed } = useFileUrl(a.id);
  const [open, setOpen] = useState(false);
  const box = thumbnailSize(a.width, a.height);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={`Open ${a.name} full size`}
        title={`${a.name} · ${formatSize(a.size)}`}
        data-testid="image-attachment"
        className="block max-w-full overflow-hidden rounded-lg border border-slate-200 bg-slate-100"
        style={{ width: box.width, aspectRatio: `${box.width} / ${box.height}` }}
      >
        {url ? (
          <img
            src={url}
            alt={a.name}
            width={box.width}
            height={box.height}
            className="h-full w-full object-cover"
          />
        ) : failed ? (
          <span className="flex h-full items-center justify-center p-2 text-xs text-slate-600">
            {a.name} could not be loaded
          </span>
        ) : null}
      </button>
      {open ? <Lightbox attachment={a} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** The image at full size (as large as the window allows) over the page; Escape closes it. */
function Lightbox({ attachment: a, onClose }: { attachment: Attachment; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(() => {
    let live = true;
    freshFileUrl(a.id).then(
      (u) => live && setUrl(u),
      (error: unknown) => {
        toastError(error);
        dialog.current?.close();
      },
    );
    return () => {
      live = false;
    };
  }, [a.id]);
  return (
    <dialog
      ref={dialog}
      aria-label={a.name}
      onClose={onClose}
      // A click on the backdrop (outside the image and its bar) closes it too.
      onClick={(e) => {
        if (e.target === e.currentTarget) e.currentTarget.close();
      }}
      className="m-auto max-h-none max-w-none overflow-visible bg-transparent p-0 backdrop:bg-black/80"
    >
      <div className="flex flex-col items-center gap-2 p-2">
        <div className="flex w-full max-w-[calc(100vw-1rem)] items-center gap-2 text-sm text-[#fff]">
          <span className="min-w-0 flex-1 truncate">
            {a.name} · {formatSize(a.size)}
          </span>
          {url ? (
            <a
              href={url}
              target="_blank"
              rel="noopener noreferrer"
              className="inline-flex items-center gap-1 rounded px-2 py-1 hover:bg-[#fff]/15"
            >
              <ExternalLink aria-hidden className="h-4 w-4" /> New tab
            </a>
          ) : null}
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            aria-label="Close"
            className="rounded p-1 hover:bg-[#fff]/15"
          >
            <X aria-hidden className="h-5 w-5" />
          </button>
        </div>
        {url ? (
          <img
            src={url}
            alt={a.name}
            className="max-h-[calc(100dvh-5rem)] max-w-[calc(100vw-1rem)] rounded object-contain"
          />
        ) : (
          <p className="p-8 text-sm text-[#fff]">Loading…</p>
        )}
      </div>
    </dialog>
  );
}

/** A file that is not shown in the chat: what it is, how large, and a link to download it. */
function FileCard({ attachment: a }: { attachment: Attachment }) {
  const { url } = useFileUrl(a.id);
  const label = typeLabel(a.contentType, a.name);
  // The link shown may have expired since it was fetched (links last five minutes): a plain
  // click asks for a fresh one first. Other clicks (a new tab, copy) take it as it is.
  const download = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    freshFileUrl(a.id).then((fresh) => {
      const link = document.createElement('a');
      link.href = fresh;
      link.download = a.name;
      link.click();
    }, toastError);
  };
  return (
    <div
      data-testid="file-attachment"
      className="flex w-72 max-w-full items-center gap-3 rounded-lg border border-slate-200 bg-white p-2 text-slate-900"
    >
      <span className="flex h-10 w-10 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-600">
        <FileKindIcon contentType={a.contentType} name={a.name} className="h-5 w-5" />
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-medium" title={a.name}>
          {a.name}
        </span>
        <span className="block text-xs text-slate-600">
          {label} · {formatSize(a.size)}
        </span>
      </span>
      <a
        href={url ?? '#'}
        download={a.name}
        onClick={download}
        aria-label={`Download ${a.name}`}
        title="Download"
        className="shrink-0 rounded-md p-2 text-blue-700 hover:bg-slate-100"
      >
        <Download aria-hidden className="h-4 w-4" />
      </a>
    </div>
  );
}
