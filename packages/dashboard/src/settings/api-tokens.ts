import type { TokenScope } from '@parley/protocol';
import { apiTags, scopeTagOf, type ApiTag } from '@parley/protocol/api-addresses';

/** What each scope lets a token do, in the admin's words. */
export const scopeLabels: Record<TokenScope, { label: string; description: string }> = {
  full: {
    label: 'Full access',
    description: 'Does what its user may: reply, assign, close, and so on.',
  },
  read: {
    label: 'Read only',
    description: 'Reads conversations and messages, and changes nothing.',
  },
};

/** The areas a token may be limited to: every tag of the API but the public reference. */
export const scopeAreas = (Object.keys(apiTags) as ApiTag[])
  .filter((tag) => tag !== 'Reference')
  .map((tag) => ({ tag, name: scopeTagOf(tag), description: apiTags[tag] }));

/** "Conversations: read · Settings: read and write", in the admin's words; null for all. */
export function scopesSaid(scopes: readonly string[] | null): string | null {
  if (!scopes) return null;
  return scopes
    .map((scope) => {
      const [name, access] = scope.split(':');
      const tag = scopeAreas.find((a) => a.name === name)?.tag ?? name;
      return `${tag}: ${access === 'write' ? 'read and write' : 'read'}`;
    })
    .join(' · ');
}

// English words, as the rest of the dashboard is written in English.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/**
 * "just now", "5 minutes ago", "yesterday": when a token was last used. Rounded down, so that
 * a token used 100 minutes ago is not said to have been used 2 hours ago.
 */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  for (const [unit, size] of units) {
    if (seconds >= size) return relative.format(-Math.floor(seconds / size), unit);
  }
  return 'just now';
}
