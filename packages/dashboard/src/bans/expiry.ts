/** How long a ban lasts, as the dialog offers it. */
export const expiryLabels = {
  '1d': '1 day',
  '7d': '7 days',
  '30d': '30 days',
  forever: 'Until lifted',
} as const;
type Expiry = keyof typeof expiryLabels;

const days: Record<Expiry, number | null> = { '1d': 1, '7d': 7, '30d': 30, forever: null };
const isExpiry = (choice: string): choice is Expiry => Object.hasOwn(days, choice);

/** When a ban made `now` for `choice` ends (null: until lifted); an unknown choice is 7 days. */
export function expiryOf(choice: string, now: Date): string | null {
  const n = isExpiry(choice) ? days[choice] : 7;
  return n === null ? null : new Date(now.getTime() + n * 86_400_000).toISOString();
}
