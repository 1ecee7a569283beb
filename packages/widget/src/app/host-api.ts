import type { Visitor, VisitorConversation, VisitorSessionReply } from '@parley/protocol';
import { WIDGET_LOCALES, type WidgetUser } from '@parley/protocol/widget-frame';
import { useEffect, useRef } from 'preact/hooks';
import type { FrameLink } from './frame-link.js';
import { save } from './storage.js';

// The site's JS API, the frame's side (the loader's side is loader/main.ts): `setUser`,
// `setCustomAttributes`, `setLocale`'s check, and the `conversation.closed` event. The server
// checks every argument (IdentifyBody, CustomAttributesBody); what it refuses is said in the
// site's console, and the chat goes on as it was.

/** This frame's visitor, as the server last described it. */
let current: Visitor | undefined;

type Shape = Record<string, unknown>;
const isShape = (v: unknown): v is Shape => typeof v === 'object' && v !== null;

async function call<T>(method: string, path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const reply: unknown = await res.json().catch(() => null);
  if (!res.ok) throw reply;
  // Typed, not parsed: as in api.ts, the reply is our own server's.
  return reply as T;
}

/** The server's reasons, field by field, in the site's console. */
function warn(link: FrameLink, method: string, refusal: unknown) {
  const error = isShape(refusal) && isShape(refusal.error) ? refusal.error : {};
  const details = Array.isArray(error.details) ? error.details.filter(isShape) : [];
  const reasons = details.map((d) => `${String(d.path)}: ${String(d.message)}`).join('; ');
  const text = reasons || (typeof error.message === 'string' ? error.message : 'no answer');
  link.post({ type: 'warn', text: `${method}: ${text}` });
}

/** What the site passed, without the empty fields a template fills in for nobody. */
const claimOf = (user: WidgetUser) =>
  Object.fromEntries(Object.entries(user).filter(([, v]) => v !== null && v !== ''));

/** Unchecked input: a name that is not text is not the same, and the server says why. */
const same = (given: unknown, known: string | null) =>
  given === undefined ||
  given === '' ||
  (typeof given === 'string' && given.trim().toLowerCase() === known?.toLowerCase());

/** Nothing to ask the server: the visitor already is who `user` says, with those details. */
function settled(visitor: Visitor, user: WidgetUser): boolean {
  const identity =
    visitor.externalId === null ? !user.hash : visitor.externalId === String(user.id);
  return identity && same(user.name, visitor.name) && same(user.email, visitor.email);
}

const identify = (token: string, user: WidgetUser) =>
  call<VisitorSessionReply>('POST', '/api/visitors/me/identity', token, claimOf(user));

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
  if (!user || settled(current, user)) return session;
  try {
    const claimed = await identify(session.visitorToken, user);
    current = claimed.visitor;
    return claimed;
  } catch (refusal) {
    warn(link, 'setUser', refusal);
    return session;
  }
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
  if (!current || settled(current, user)) return null;
  try {
    const claimed = await identify(token, user);
    const { id, externalId } = claimed.visitor;
    if (id === current.id && externalId === current.externalId) return (current = claimed.visitor);
    save('token', claimed.visitorToken);
    link.post({ type: 'restart' });
  } catch (refusal) {
    warn(link, 'setUser', refusal);
  }
  return null;
}

export async function setAttributes(
  token: string,
  attributes: Record<string, unknown>,
  link: FrameLink,
): Promise<Visitor | null> {
  try {
    const path = '/api/visitors/me/attributes';
    return (current = (await call<{ visitor: Visitor }>('PATCH', path, token, { attributes }))
      .visitor);
  } catch (refusal) {
    warn(link, 'setCustomAttributes', refusal);
    return null;
  }
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
