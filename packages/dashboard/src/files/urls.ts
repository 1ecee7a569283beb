import type { AttachmentUrlReply } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { call } from '../api/client';
import { serverUrl } from '../api/server-url';
import { onSessionChange } from '../api/session';

/**
 * A link is given up this long before it expires: a download or a full-size view started with
 * it must still find it valid when the request reaches the server.
 */
export const REFRESH_BEFORE_MS = 30_000;

export const isFresh = (link: AttachmentUrlReply, now: number): boolean =>
  Date.parse(link.expiresAt) - REFRESH_BEFORE_MS > now;

export type UrlCache = {
  /** The held link if it is still fresh. */
  peek(id: string): AttachmentUrlReply | undefined;
  /** A fresh link: the held one, or one asked for (once, however many ask at the same time). */
  get(id: string): Promise<AttachmentUrlReply>;
  clear(): void;
};

/**
 * Signed links to files, held until shortly before they expire (five minutes), so that a list
 * of images asks once per file, and opening a file later asks again only when it must.
 */
export function createUrlCache(
  fetchLink: (id: string) => Promise<AttachmentUrlReply>,
  now: () => number = Date.now,
): UrlCache {
  const held = new Map<string, AttachmentUrlReply>();
  const asking = new Map<string, Promise<AttachmentUrlReply>>();
  const peek = (id: string) => {
    const link = held.get(id);
    if (link && isFresh(link, now())) return link;
    held.delete(id);
    return undefined;
  };
  return {
    peek,
    get(id) {
      const link = peek(id);
      if (link) return Promise.resolve(link);
      let pending = asking.get(id);
      if (!pending) {
        pending = fetchLink(id)
          .then((reply) => {
            held.set(id, reply);
            return reply;
          })
          .finally(() => asking.delete(id));
        asking.set(id, pending);
      }
      return pending;
    },
    clear() {
      held.clear();
    },
  };
}

export const fileUrls = createUrlCache((id) => call('getAttachmentUrl', { params: { id } }));
// Links are not tied to the session, but what one agent opened is not kept for the next.
onSessionChange((reply) => {
  if (!reply) fileUrls.clear();
});

/** Where to fetch a file's bytes: the server's signed path, on the server's origin. */
export const absoluteUrl = (link: AttachmentUrlReply): string => serverUrl(link.url);

/** A file's link, asked for when the file is first shown; undefined until it is known. */
export function useFileUrl(id: string): { url: string | undefined; failed: boolean } {
  const [link, setLink] = useState(() => fileUrls.peek(id));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    fileUrls.get(id).then(
      (reply) => live && setLink(reply),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return { url: link ? absoluteUrl(link) : undefined, failed };
}

/** A fresh link for an action the agent takes now (a download, the full-size view). */
export const freshFileUrl = async (id: string): Promise<string> =>
  absoluteUrl(await fileUrls.get(id));
