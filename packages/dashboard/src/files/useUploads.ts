import type { Attachment } from '@parley/protocol';
import { MAX_ATTACHMENTS } from '@parley/protocol/limits';
import { useCallback, useEffect, useRef, useState } from 'react';
import toast from 'react-hot-toast';
import { ApiError } from '../api/client';
import { newClientId } from '../conversations/outbox';
import { messageOf } from '../ui/errors';
import { oversizeReason } from './format';
import { uploadFile } from './upload';

/** A file on its way into the next message, shown as a chip above the composer. */
export type Upload = {
  /** The attachment's id, chosen here, so that a retry is the same upload. */
  id: string;
  name: string;
  size: number;
  state: 'uploading' | 'done' | 'failed';
  /** 0 to 1, while uploading. */
  progress: number;
  attachment?: Attachment;
  error?: string;
  /** Failed for a reason that may pass (the network, a limit): worth trying again. */
  retryable?: boolean;
};

const PASSING = new Set(['network', 'rate_limited', 'unavailable', 'internal']);

export type Uploads = ReturnType<typeof useUploads>;

/**
 * The files of the message being written: each is uploaded as soon as it is picked (dropped,
 * pasted), so that sending is instant; the message then names them by id. `maxMb` (the admin's
 * limit, when known) refuses a file too large before any of it is sent.
 */
export function useUploads(maxMb: number | undefined) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const files = useRef(new Map<string, File>());
  const running = useRef(new Map<string, AbortController>());
  useEffect(() => {
    const controllers = running.current;
    return () => {
      for (const controller of controllers.values()) controller.abort();
    };
  }, []);

  const patch = useCallback((id: string, change: Partial<Upload>) => {
    setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...change } : u)));
  }, []);

  const start = (id: string, file: File, name: string) => {
    const controller = new AbortController();
    running.current.set(id, controller);
    uploadFile(id, file, name, (progress) => patch(id, { progress }), controller.signal)
      .then((attachment) => {
        files.current.delete(id);
        patch(id, { state: 'done', progress: 1, attachment, name: attachment.name });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return; // removed by the agent
        const retryable = error instanceof ApiError && PASSING.has(error.code);
        patch(id, { state: 'failed', error: messageOf(error), retryable });
      })
      .finally(() => running.current.delete(id));
  };

  const add = (picked: readonly File[]) => {
    const room = MAX_ATTACHMENTS - uploads.length;
    if (picked.length > room) toast.error(`A message may carry up to ${MAX_ATTACHMENTS} files`);
    const added = picked.slice(0, Math.max(0, room)).map((file) => {
      const name = file.name || 'file';
      const tooLarge =
        maxMb === undefined ? null : oversizeReason({ name, size: file.size }, maxMb);
      const upload: Upload = {
        id: newClientId(),
        name,
        size: file.size,
        state: tooLarge ? 'failed' : 'uploading',
        progress: 0,
        error: tooLarge ?? undefined,
      };
      return { upload, file };
    });
    setUploads((list) => [...list, ...added.map((a) => a.upload)]);
    for (const { upload, file } of added) {
      if (upload.state !== 'uploading') continue;
      files.current.set(upload.id, file);
      start(upload.id, file, upload.name);
    }
  };

  const retry = (id: string) => {
    const file = files.current.get(id);
    const upload = uploads.find((u) => u.id === id);
    if (!file || !upload) return;
    patch(id, { state: 'uploading', progress: 0, error: undefined, retryable: false });
    start(id, file, upload.name);
  };

  const remove = (id: string) => {
    running.current.get(id)?.abort();
    files.current.delete(id);
    setUploads((list) => list.filter((u) => u.id !== id));
  };

  /** After sending: the chips go, whatever their state. */
  const clear = () => {
    for (const controller of running.current.values()) controller.abort();
    files.current.clear();
    setUploads([]);
  };

  return {
    uploads,
    add,
    retry,
    remove,
    clear,
    /** What the message will carry, in the order the files were picked. */
    attachments: uploads.flatMap((u) => (u.attachment ? [u.attachment] : [])),
    busy: uploads.some((u) => u.state === 'uploading'),
  };
}
