import {
  envelope,
  readHostToFrame,
  type FrameToHost,
  type HostToFrame,
} from '@parley/protocol/widget-frame';

export type FrameLink = {
  /** Whether a site embeds this page; false when the chat is opened on its own. */
  embedded: boolean;
  post(message: FrameToHost): void;
  listen(fn: (message: HostToFrame) => void): void;
};

/**
 * The site's origin, as the loader told it in `?origin=`. Where the browser reports the real
 * embedder (location.ancestorOrigins), a different claim is refused: the frame then talks to no
 * one rather than to a page that lied about who it is.
 */
function hostOrigin(): string | null {
  const claimed = new URLSearchParams(location.search).get('origin');
  if (!claimed || window.parent === window) return null;
  const actual = location.ancestorOrigins?.[0];
  return actual === undefined || actual === claimed ? claimed : null;
}

export function connectToHost(): FrameLink {
  const origin = hostOrigin();
  if (!origin) return { embedded: false, post: () => {}, listen: () => {} };
  return {
    embedded: true,
    post: (message) => window.parent.postMessage(envelope(message), origin),
    listen: (fn) =>
      addEventListener('message', (event) => {
        if (event.origin !== origin || event.source !== window.parent) return;
        const message = readHostToFrame(event.data);
        if (message) fn(message);
      }),
  };
}
