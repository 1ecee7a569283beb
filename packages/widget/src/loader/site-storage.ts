// The widget's memory on the site's own origin (first-party): see `store` in widget-frame.ts.
// Every access is guarded; with storage disabled the chat still works, for this page only.

const PREFIX = 'parley.';

/** Everything the frame has stored, keys without the prefix. */
export function readStored(): Record<string, string> {
  const stored: Record<string, string> = {};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      const value = key?.startsWith(PREFIX) ? localStorage.getItem(key) : null;
      if (key && value !== null) stored[key.slice(PREFIX.length)] = value;
    }
  } catch {
    // Disabled: nothing stored.
  }
  return stored;
}

/** The site's sign-out (`reset`): everything the frame kept, token and outbox included. */
export function clearStored(): void {
  Object.keys(readStored()).forEach((key) => writeStored(key, null));
}

export function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, value);
  } catch {
    // Full or disabled.
  }
}

/** Per tab: whether the chat is open, so that it stays open on the site's next page. */
export const openInThisTab = {
  get(): boolean {
    try {
      return sessionStorage.getItem(`${PREFIX}open`) === '1';
    } catch {
      return false;
    }
  },
  set(open: boolean): void {
    try {
      if (open) sessionStorage.setItem(`${PREFIX}open`, '1');
      else sessionStorage.removeItem(`${PREFIX}open`);
    } catch {
      // As above.
    }
  },
};
