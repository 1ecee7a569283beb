import type { Visitor, VisitorSessionReply } from '@parley/protocol';
import type { WidgetUser } from '@parley/protocol/widget-frame';
import type { FrameLink } from './frame-link.js';

// The identity part (parts.ts): the site's `setUser` and `setCustomAttributes`, fetched the
// first time a site calls one of them (host-api.ts). The server checks every argument
// (IdentifyBody, CustomAttributesBody); what it refuses is said in the site's console, and the
// chat goes on as it was.

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

/**
 * Claims the person the site named for this browser's `visitor`: the session the server answers
 * with, or null when there is nothing to ask (already them) or the claim is refused (said).
 */
export async function claim(
  token: string,
  visitor: Visitor,
  user: WidgetUser,
  link: FrameLink,
): Promise<VisitorSessionReply | null> {
  if (settled(visitor, user)) return null;
  try {
    return await call<VisitorSessionReply>(
      'POST',
      '/api/visitors/me/identity',
      token,
      claimOf(user),
    );
  } catch (refusal) {
    warn(link, 'setUser', refusal);
    return null;
  }
}

/** The visitor with the site's attributes, or null when refused (said). */
export async function saveAttributes(
  token: string,
  attributes: Record<string, unknown>,
  link: FrameLink,
): Promise<Visitor | null> {
  try {
    const path = '/api/visitors/me/attributes';
    return (await call<{ visitor: Visitor }>('PATCH', path, token, { attributes })).visitor;
  } catch (refusal) {
    warn(link, 'setCustomAttributes', refusal);
    return null;
  }
}
