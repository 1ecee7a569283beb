// What the chat remembers between pages: the visitor's token, the outbox, what was seen.
// Embedded, it lives in the site's first-party storage, kept by the loader (see `store` in
// widget-frame.ts); opened on its own, in this page's localStorage. Reads come from memory.

const memory = new Map<string, string>();
let persist: (key: string, value: string | null) => void = () => {};

/** Starts from what the loader handed over, writing back through `write`. */
export function keepInSiteStorage(stored: Record<string, string>, write: typeof persist): void {
  Object.entries(stored).forEach(([key, value]) => memory.set(key, value));
  persist = write;
}

/** Standalone: this origin's own localStorage (guarded: it may be disabled). */
export function keepInOwnStorage(): void {
  const PREFIX = 'parley.';
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      const value = key?.startsWith(PREFIX) ? localStorage.getItem(key) : null;
      if (key && value !== null) memory.set(key.slice(PREFIX.length), value);
    }
  } catch {
    // Disabled: memory only.
  }
  persist = (key, value) => {
    try {
      if (value === null) localStorage.removeItem(PREFIX + key);
      else localStorage.setItem(PREFIX + key, value);
    } catch {
      // Full or disabled.
    }
  };
}

/** The stored value, unchecked: the caller checks its shape, as with any outside input. */
export function load(key: string): unknown {
  const raw = memory.get(key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function save(key: string, value: unknown): void {
  const raw = value === undefined || value === null ? null : JSON.stringify(value);
  if (raw === null) memory.delete(key);
  else memory.set(key, raw);
  persist(key, raw);
}
