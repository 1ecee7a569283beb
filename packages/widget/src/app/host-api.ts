import type { Visitor, VisitorConversation, VisitorSessionReply } from '@parley/protocol';
import { WIDGET_LOCALES, type WidgetUser } from '@parley/protocol/widget-frame';
import { useEffect, useRef } from 'preact/hooks';
import type { FrameLink } from './frame-link.js';
import { identityPart } from './parts.js';
import { save } from './storage.js';

// The site's JS API, the frame's side (the loader's side is loader/main.ts): `setUser`,
// `setCustomAttributes`, `setLocale`'s check, and the `conversation.closed` event. The calls to
// the server are in identity.ts, a part fetched the first time a site makes one of them.

/** This frame's visitor, as the server last described it. */
let current: Visitor | undefined;

/** Fetches the identity part ahead of its use (a failure is said when it is used). */
export const prepareIdentity = (): void => void identityPart.load().catch(() => {});

/** `use` with the identity part; when it cannot be fetched, said in the site's console. */
async function withIdentity<T>(
  link: FrameLink,
  method: string,
  use: (identity: typeof import('./identity.js')) => Promise<T | null>,
): Promise<T | null> {
  let identity: typeof import('./identity.js');
  try {
    identity = await identityPart.load();
  } catch {
    link.post({ type: 'warn', text: `${method}: could not reach Parley, call it again` });
    return null;
  }
  return use(identity);
}

/**
 * At start, before the chat is drawn: the session of the person the site named, when claiming
 * it changes anything; else (or when the claim is refused) the session as it was.
 */
export async function startAs(
  session: VisitorSessionReply,
  user: WidgetUser | undefined,
  link: FrameLink,
): Promise<VisitorSessionReply> {
  current = session.visitor;
  if (!user) return session;
  const claimed = await withIdentity(link, 'setUser', (identity) =>
    identity.claim(session.visitorToken, session.visitor, user, link),
  );
  if (!claimed) return session;
  current = claimed.visitor;
  return claimed;
}

/**
 * `setUser` while the chat runs. The same visitor gets its new details (returned); another
 * visitor, or this one becoming verified, has its token stored and the frame started again.
 */
export async function claimLater(
  token: string,
  user: WidgetUser,
  link: FrameLink,
): Promise<Visitor | null> {
  const before = current;
  if (!before) return null;
  const claimed = await withIdentity(link, 'setUser', (identity) =>
    identity.claim(token, before, user, link),
  );
  if (!claimed) return null;
  const { id, externalId } = claimed.visitor;
  if (id === before.id && externalId === before.externalId) return (current = claimed.visitor);
  save('token', claimed.visitorToken);
  link.post({ type: 'restart' });
  return null;
}

export async function setAttributes(
  token: string,
  attributes: Record<string, unknown>,
  link: FrameLink,
): Promise<Visitor | null> {
  const visitor = await withIdentity(link, 'setCustomAttributes', (identity) =>
    identity.saveAttributes(token, attributes, link),
  );
  if (visitor) current = visitor;
  return visitor;
}

/** A language the widget does not speak is said; the chat takes the next one it does. */
export function checkLocale(link: FrameLink, locale: string): void {
  const base = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  if (!(WIDGET_LOCALES as readonly string[]).includes(base))
    link.post({ type: 'warn', text: `setLocale: '${locale}' is none of ${WIDGET_LOCALES.join()}` });
}

/** Tells the site when the conversation it saw open is closed (`conversation.closed`). */
export function useClosedEvent(link: FrameLink, conversation: VisitorConversation | null): void {
  const open = useRef<string | null>(null);
  useEffect(() => {
    if (!conversation) return;
    if (conversation.status !== 'closed') open.current = conversation.id;
    else if (open.current === conversation.id) {
      open.current = null;
      link.post({ type: 'closed', conversationId: conversation.id });
    }
  }, [conversation?.id, conversation?.status]);
}
