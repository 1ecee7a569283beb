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
 * limit) refuses a file too large before any of it is sent: a file picked before the limit has
 * arrived waits for it (its chip at 0%), rather than going up unchecked.
 */
export function useUploads(maxMb: number | undefined) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const files = useRef(new Map<string, File>());
  const running = useRef(new Map<string, AbortController>());
  /** Picked before the limit was known, in the order picked. */
  const waiting = useRef<Array<{ upload: Upload; file: File }>>([]);
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

  /** Refuses the file at once when it is over the limit, or starts its upload. */
  const check = (upload: Upload, file: File, limit: number) => {
    const tooLarge = oversizeReason({ name: upload.name, size: file.size }, limit);
    if (tooLarge) return patch(upload.id, { state: 'failed', error: tooLarge });
    files.current.set(upload.id, file);
    start(upload.id, file, upload.name);
  };

  // The limit has arrived: the files that waited for it are checked, in the order picked.
  useEffect(() => {
    if (maxMb === undefined) return;
    for (const { upload, file } of waiting.current.splice(0)) check(upload, file, maxMb);
  }, [maxMb]);

  const add = (picked: readonly File[]) => {
    const room = MAX_ATTACHMENTS - uploads.length;
    if (picked.length > room) toast.error(`A message may carry up to ${MAX_ATTACHMENTS} files`);
    const added = picked.slice(0, Math.max(0, room)).map((file) => {
      const upload: Upload = {
        id: newClientId(),
        name: file.name || 'file',
        size: file.size,
        state: 'uploading',
        progress: 0,
      };
      return { upload, file };
    });
    setUploads((list) => [...list, ...added.map((a) => a.upload)]);
    for (const { upload, file } of added) {
      if (maxMb === undefined) waiting.current.push({ upload, file });
      else check(upload, file, maxMb);
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
    waiting.current = waiting.current.filter((w) => w.upload.id !== id);
    running.current.get(id)?.abort();
    files.current.delete(id);
    setUploads((list) => list.filter((u) => u.id !== id));
  };

  /** After sending: the chips go, whatever their state. */
  const clear = () => {
    for (const controller of running.current.values()) controller.abort();
    waiting.current = [];
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
