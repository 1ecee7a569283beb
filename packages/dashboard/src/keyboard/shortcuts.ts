import { useEffect, useRef } from 'react';

/** The desk's keys in one table: the help dialog lists it, and components bind from it. */
export const shortcuts = {
  help: { key: '?', label: 'Show the keyboard shortcuts' },
  search: { key: '/', label: 'Search conversations' },
  next: { key: 'j', label: 'Next conversation in the list' },
  previous: { key: 'k', label: 'Previous conversation in the list' },
  nextUnread: { key: 'u', label: 'Go to the next unread chat' },
  reply: { key: 'r', label: 'Reply: focus the composer' },
  note: { key: 'n', label: 'Switch to an internal note' },
  assign: { key: 'a', label: 'Assign the open chat to me' },
  close: { key: 'c', label: 'Close the open chat' },
} as const;
export type Shortcut = keyof typeof shortcuts;

/** While the agent types in a field, single-key shortcuts must not take its letters. */
export function isTypingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    target.closest('input, textarea, select, [contenteditable="true"]') !== null
  );
}

/**
 * Runs `action` when the shortcut's key is pressed outside a text field, with no modifier but
 * Shift (`?` needs it), and while no modal dialog is open.
 */
export function useShortcut(name: Shortcut, action: () => void, enabled = true): void {
  const latest = useRef(action);
  useEffect(() => {
    latest.current = action;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== shortcuts[name].key || e.defaultPrevented) return;
      if (e.metaKey || e.ctrlKey || e.altKey || isTypingIn(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [name, enabled]);
}

/** Escape leaves a text field, so that the shortcuts work again without reaching for the mouse. */
export function useEscapeLeavesField(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || !isTypingIn(e.target)) return;
      if (e.target instanceof HTMLElement) e.target.blur();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
