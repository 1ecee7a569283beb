import type { CannedResponse } from '@parley/protocol';
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Teammate } from './mentions';

/** One choice of the list above the composer: a canned response, a teammate to mention. */
export type PickerChoice = { key: string; content: ReactNode; choose: () => void };

/** The id of the choice at `index`: the text box names the active one (aria-activedescendant). */
export const choiceId = (listId: string, index: number) => `${listId}-${index}`;

/**
 * The keys of a picker whose focus stays in the text box: the arrows move through the choices,
 * Enter or Tab picks one, Escape closes the list until the text changes. A change of the text
 * makes the first choice the active one again.
 */
export function usePickerKeys(choices: readonly PickerChoice[], draft: string) {
  const [active, setActive] = useState(0);
  const [closed, setClosed] = useState(false);
  // Each change of the text, seen as it is rendered (React's way to reset state on a change).
  const [seenDraft, setSeenDraft] = useState(draft);
  if (seenDraft !== draft) {
    setSeenDraft(draft);
    setActive(0);
    setClosed(false);
  }
  const open = choices.length > 0 && !closed;
  const activeIndex = Math.min(active, choices.length - 1);
  /** Takes the key if it is the list's, and says whether it did. */
  const onKeyDown = (e: KeyboardEvent): boolean => {
    if (!open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : choices.length - 1;
      setActive((activeIndex + step) % choices.length);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      choices[activeIndex]?.choose();
    } else if (e.key === 'Escape') {
      // The list only: the next Escape leaves the field (useEscapeLeavesField).
      setClosed(true);
    } else {
      return false;
    }
    e.preventDefault();
    return true;
  };
  return { open, activeIndex, onKeyDown };
}

/**
 * The choices offered for what is being typed (`#shortcut`, `@name`), above the composer. The
 * focus stays in the text box, which moves through them with the arrows; a click picks one
 * without taking the focus away.
 */
export function ComposerPicker({
  id,
  label,
  choices,
  active,
}: {
  id: string;
  label: string;
  choices: readonly PickerChoice[];
  active: number;
}) {
  return (
    <ul
      id={id}
      role="listbox"
      aria-label={label}
      className="absolute bottom-full left-3 right-3 mb-1 max-h-60 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
    >
      {choices.map((c, i) => (
        <li
          key={c.key}
          id={choiceId(id, i)}
          role="option"
          aria-selected={i === active}
          onMouseDown={(e) => {
            e.preventDefault();
            c.choose();
          }}
          className={`cursor-pointer px-3 py-2 text-sm ${i === active ? 'bg-blue-50' : ''}`}
        >
          {c.content}
        </li>
      ))}
    </ul>
  );
}

/** The canned responses whose shortcut or title goes with the `#shortcut` typed: six at most. */
export function cannedChoices(
  canned: readonly CannedResponse[],
  shortcut: string,
  choose: (c: CannedResponse) => void,
): PickerChoice[] {
  return canned
    .filter((c) => c.shortcut.startsWith(shortcut) || c.title.toLowerCase().includes(shortcut))
    .slice(0, 6)
    .map((c) => ({
      key: c.id,
      content: (
        <>
          <span className="font-mono text-blue-700">#{c.shortcut}</span>{' '}
          <span className="font-medium text-slate-900">{c.title}</span>
          <span className="block truncate text-slate-600">{c.content}</span>
        </>
      ),
      choose: () => choose(c),
    }));
}

/** Teammates to mention, by name. */
export const teammateChoices = (
  teammates: readonly Teammate[],
  choose: (t: Teammate) => void,
): PickerChoice[] =>
  teammates.map((t) => ({
    key: t.id,
    content: <span className="font-medium text-slate-900">{t.name}</span>,
    choose: () => choose(t),
  }));
