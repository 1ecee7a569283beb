import type { Attachment, FileSettings } from '@parley/protocol';
import { upload, UploadError } from './file-transfer.js';
import { fill } from './i18n.js';
import type { Texts } from './locales/en.js';

/** A file the visitor picked for the message being written: on its way up, sent, or refused. */
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

/**
 * Sends one file the visitor picked: checked against the admin's size limit, then uploaded at
 * once, so that by the time the visitor presses send only the message remains. The type is
 * judged by the server from the bytes; its refusal is shown on the file. Returns the file's chip;
 * `change` updates it as the upload goes.
 */
export function startUpload(
  f: File,
  token: string,
  settings: FileSettings,
  t: Texts,
  change: (key: string, patch: Partial<Upload>) => void,
): Upload {
  const name = f.name || 'image.png';
  const reason = (code: string) =>
    fill(
      code === 'payload_too_large'
        ? t.tooLarge
        : code === 'unsupported_file'
          ? t.refusedType
          : t.uploadFailed,
      { name, max: settings.maxMb },
    );
  if (f.size > settings.maxMb * MB) {
    return { key: name + Math.random(), name, progress: 0, error: reason('payload_too_large') };
  }
  const named = f.name ? f : new File([f], name, { type: f.type });
  const sending = upload(token, named, (progress) => change(sending.id, { progress }));
  sending.done.then(
    (file) => change(sending.id, { file, progress: 1 }),
    (e: unknown) => change(sending.id, { error: reason(e instanceof UploadError ? e.code : '') }),
  );
  return { key: sending.id, name, progress: 0, abort: sending.abort };
}
