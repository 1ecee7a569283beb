import { createStore, useStore } from '../realtime/store';

export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];

/** This browser's choices: kept in localStorage, not on the server (another device differs). */
export type Preferences = { theme: Theme; sound: boolean };

// public/offline.js reads the theme from this key too, to show the offline page in it.
const KEY = 'parley.preferences';
const defaults: Preferences = { theme: 'system', sound: true };

function load(): Preferences {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return defaults;
    const theme = 'theme' in stored ? themes.find((t) => t === stored.theme) : undefined;
    const sound = 'sound' in stored ? stored.sound : undefined;
    return { theme: theme ?? defaults.theme, sound: typeof sound === 'boolean' ? sound : true };
  } catch {
    return defaults; // storage blocked or garbled: the defaults hold for this visit
  }
}

export const preferences = createStore<Preferences>(load());

/** `system` leaves the scheme to the browser (styles.css); the others pin it. */
export function applyTheme(): void {
  const { theme } = preferences.get();
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

preferences.subscribe(() => {
  applyTheme();
  try {
    localStorage.setItem(KEY, JSON.stringify(preferences.get()));
  } catch {
    // storage blocked: the choice lasts until the tab closes
  }
});

export function setPreference<K extends keyof Preferences>(key: K, value: Preferences[K]): void {
  preferences.set((current) => ({ ...current, [key]: value }));
}

export const usePreferences = () => useStore(preferences, (p) => p);
