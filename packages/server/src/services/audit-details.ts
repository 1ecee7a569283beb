// What an audit record says beyond who, what and on what (services/audit.ts): a change as its
// `before` and `after`, with secrets never written down.

/** Keys whose values are secrets, whatever object they are in: recorded as changed, not shown. */
const SECRET_KEY = /secret|password|passphrase|hash|private|apikey|^token$|credential/i;
export const REDACTED = '[redacted]';

/** A copy of `value` with every secret-named key's value replaced by `[redacted]`. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      SECRET_KEY.test(key) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v),
    ]),
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * What changed between two versions of a setting or a record, key by key: `{ before, after }`
 * holding only the keys whose values differ, on both sides; inside an object on both sides
 * (a site's widget), only its keys that differ, so a reader sees the change alone.
 */
export function changeOf(
  before: object | null | undefined,
  after: object | null | undefined,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = { ...(before ?? {}) };
  const a: Record<string, unknown> = { ...(after ?? {}) };
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const [was, is] = [b[key], a[key]];
    if (same(was, is)) continue;
    if (isPlainObject(was) && isPlainObject(is)) {
      const inner = changeOf(was, is);
      out.before[key] = inner.before;
      out.after[key] = inner.after;
    } else {
      out.before[key] = was ?? null;
      out.after[key] = is ?? null;
    }
  }
  return out;
}

/** Whether a change found by `changeOf` changed anything. */
export const changedAny = (change: { after: Record<string, unknown> }) =>
  Object.keys(change.after).length > 0;
