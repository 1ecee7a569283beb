/**
 * The token of a password-reset link, `/reset-password#token=…`. It travels in the fragment so
 * that it never reaches a server's logs; null when the link has none. Not URLSearchParams: it
 * would turn a `+` of the token into a space.
 */
export function resetTokenFrom(hash: string): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part.startsWith('token=')) continue;
    try {
      const token = decodeURIComponent(part.slice('token='.length)).trim();
      return token || null;
    } catch {
      return null; // a link cut short in the middle of an escape
    }
  }
  return null;
}
