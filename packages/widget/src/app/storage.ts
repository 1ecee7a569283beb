// The iframe's own storage, partitioned by the browser per embedding site. Every access is
// guarded: storage can be disabled or full, and the chat must still work without it.

const PREFIX = 'parley.';

/** The stored value, unchecked: the caller checks its shape, as with any outside input. */
export function load(key: string): unknown {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function save(key: string, value: unknown): void {
  try {
    if (value === undefined || value === null) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the value lives in memory for this page only.
  }
}

/** Per tab: whether the chat was open, so that it stays open across the site's pages. */
export const tabFlag = {
  get: (key: string) => {
    try {
      return sessionStorage.getItem(PREFIX + key) === '1';
    } catch {
      return false;
    }
  },
  set: (key: string, on: boolean) => {
    try {
      if (on) sessionStorage.setItem(PREFIX + key, '1');
      else sessionStorage.removeItem(PREFIX + key);
    } catch {
      // As above.
    }
  },
};
