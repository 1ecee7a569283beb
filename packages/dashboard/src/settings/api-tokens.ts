import type { TokenScope } from '@parley/protocol';

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
