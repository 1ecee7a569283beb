import type { FileSettings } from '@parley/protocol';
import { MAX_ATTACHMENTS } from '@parley/protocol/limits';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fill, useLanguage } from './i18n.js';
import { filesPart } from './parts.js';
import type { Upload } from './uploading.js';

/** Files one message may carry (the protocol's zod-free limits). */
export const MAX_FILES = MAX_ATTACHMENTS;

/**
 * Fetches the code that sends files (the files part) ahead of need: when the visitor reaches
 * for the paperclip or drags files over the chat, it is there by the time they let go.
 */
export const prepareUploads = (): void => void filesPart.load().catch(() => {});

/**
 * The files of the message being written, each uploaded as soon as it is added (the work is in
 * uploading.ts, part of the files part). Should that part fail to arrive, each file says it
 * could not be uploaded, and the next one added asks for the part again.
 */
export function useUploads(token: () => string, settings: FileSettings) {
  const { t } = useLanguage();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const live = useRef(uploads);
  live.current = uploads;
  const change = (key: string, patch: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const add = (files: File[]): void =>
    void filesPart.load().then(
      ({ startUpload }) => {
        const room = MAX_FILES - live.current.length;
        const added = files
          .slice(0, Math.max(room, 0))
          .map((f) => startUpload(f, token(), settings, t, change));
        const over =
          files.length > room
            ? [{ key: 'over', name: '', progress: 0, error: fill(t.tooMany, { n: MAX_FILES }) }]
            : [];
        setUploads((all) => [...all.filter((u) => u.key !== 'over'), ...added, ...over]);
      },
      () => {
        const failed = files.map((f): Upload => {
          const name = f.name || 'image.png';
          return {
            key: name + Math.random(),
            name,
            progress: 0,
            error: fill(t.uploadFailed, { name }),
          };
        });
        setUploads((all) => [...all, ...failed]);
      },
    );

  const remove = (key: string) => {
    live.current.find((u) => u.key === key)?.abort?.();
    setUploads((all) => all.filter((u) => u.key !== key));
  };

  // Leaving the chat (it closed, say) cancels what is still going up.
  useEffect(() => () => live.current.forEach((u) => u.file || u.abort?.()), []);

  return {
    uploads,
    add,
    remove,
    clear: () => setUploads([]),
    busy: uploads.some((u) => !u.file && !u.error),
    ready: uploads.flatMap((u) => (u.file ? [u.file] : [])),
  };
}
