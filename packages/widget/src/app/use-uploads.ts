import type { Attachment, FileSettings } from '@parley/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { upload, UploadError } from './files.js';
import { fill, useLanguage } from './i18n.js';

/** A file the visitor picked for the message being written. */
export type Upload = {
  key: string;
  name: string;
  /** 0 to 1 while its bytes go up. */
  progress: number;
  /** Set once the server holds it. */
  file?: Attachment;
  /** Why it cannot be sent, in the visitor's language. */
  error?: string;
  abort?: () => void;
};

const MB = 1024 * 1024;
/** The protocol's MAX_FILES, spelled out: importing it would bring zod into the bundle. */
export const MAX_FILES = 10;

/**
 * The files of the message being written: each is checked against the admin's size limit, then
 * uploaded at once, so that by the time the visitor presses send only the message remains. The
 * type is judged by the server from the bytes; its refusal is shown on the file.
 */
export function useUploads(token: () => string, settings: FileSettings) {
  const { t } = useLanguage();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const live = useRef(uploads);
  live.current = uploads;
  const change = (key: string, patch: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const reason = (code: string, name: string) =>
    fill(
      code === 'payload_too_large'
        ? t.tooLarge
        : code === 'unsupported_file'
          ? t.refusedType
          : t.uploadFailed,
      { name, max: settings.maxMb },
    );

  const add = (files: File[]) => {
    const room = MAX_FILES - live.current.length;
    const added = files.slice(0, Math.max(room, 0)).map((f): Upload => {
      const name = f.name || 'image.png';
      if (f.size > settings.maxMb * MB) {
        return {
          key: name + Math.random(),
          name,
          progress: 0,
          error: reason('payload_too_large', name),
        };
      }
      const named = f.name ? f : new File([f], name, { type: f.type });
      const sending = upload(token(), named, (progress) => change(sending.id, { progress }));
      sending.done.then(
        (file) => change(sending.id, { file, progress: 1 }),
        (e: unknown) =>
          change(sending.id, { error: reason(e instanceof UploadError ? e.code : '', name) }),
      );
      return { key: sending.id, name, progress: 0, abort: sending.abort };
    });
    const over =
      files.length > room
        ? [{ key: 'over', name: '', progress: 0, error: fill(t.tooMany, { n: MAX_FILES }) }]
        : [];
    setUploads((all) => [...all.filter((u) => u.key !== 'over'), ...added, ...over]);
  };

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
