import type { Attachment, AttachmentReply, AttachmentUrlReply } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import { fileLink } from './api.js';
import { newClientId } from './outbox.js';

/** What kind of file a card shows: its extension, as the visitor's own computer names it. */
export const kindOf = (name: string) => /\.(\w{1,8})$/.exec(name)?.[1]?.toUpperCase() ?? 'FILE';

/** Why an upload failed, as the error code the server answered with ('network' when none). */
export class UploadError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * Uploads the bytes under an id of our own choosing, so that a retry of the same PUT is one
 * file. XMLHttpRequest, not fetch: only it reports the upload's progress.
 */
export function upload(
  token: string,
  file: File,
  onProgress: (fraction: number) => void,
): { id: string; done: Promise<Attachment>; abort(): void } {
  const id = newClientId();
  const xhr = new XMLHttpRequest();
  const done = new Promise<Attachment>((resolve, reject) => {
    xhr.open('PUT', `/api/attachments/${id}?name=${encodeURIComponent(file.name || 'file')}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: { error?: { code?: string } } & Partial<AttachmentReply> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // a proxy's page, not the API's JSON: the status says enough
      }
      if (xhr.status < 300 && body.attachment) resolve(body.attachment);
      else
        reject(
          new UploadError(xhr.status === 413 ? 'payload_too_large' : (body.error?.code ?? '')),
        );
    };
    xhr.onerror = xhr.onabort = () => reject(new UploadError('network'));
    xhr.send(file);
  });
  return { id, done, abort: () => xhr.abort() };
}

/** A signed link is given up this long before it lapses, so a click still finds it valid. */
const MARGIN_MS = 30_000;
const links = new Map<string, AttachmentUrlReply>();
const asking = new Map<string, Promise<string>>();

/** The held link to a file while it is still good to use. */
export const freshLink = (id: string) => {
  const link = links.get(id);
  return link && Date.parse(link.expiresAt) - MARGIN_MS > Date.now() ? link.url : undefined;
};

/** A fresh signed link to a file: the one held, or one asked for once however many ask. */
export function linkTo(token: string, id: string): Promise<string> {
  const url = freshLink(id);
  if (url) return Promise.resolve(url);
  let pending = asking.get(id);
  if (!pending) {
    pending = fileLink(token, id)
      .then((link) => {
        links.set(id, link);
        return link.url;
      })
      .finally(() => asking.delete(id));
    asking.set(id, pending);
  }
  return pending;
}

/** A file's link, asked for when it is first shown; undefined until known or when refused. */
export function useLink(token: () => string, id: string): string | undefined {
  const [url, setUrl] = useState(() => freshLink(id));
  useEffect(() => {
    let live = true;
    linkTo(token(), id).then(
      (u) => live && setUrl(u),
      () => {},
    );
    return () => void (live = false);
  }, [id]);
  return url;
}
