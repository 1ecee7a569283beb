/**
 * What the contacts list hands to a contact's page, and what that page hands back: the list's
 * search (`?q=…&site=…`), so "All contacts" returns to the same search, and the name of someone
 * just erased, for the list to say so. Carried in the history entry's state, which a reload or
 * a pasted link does not have: both are then left out.
 */
export type ContactsState = { list?: string; erased?: string };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** The state of a history entry, whatever put it there. */
export function contactsState(state: unknown): ContactsState {
  if (typeof state !== 'object' || state === null) return {};
  const list = text('list' in state ? state.list : undefined);
  const erased = text('erased' in state ? state.erased : undefined);
  // Only a search of the list itself: never another address.
  return {
    ...(list !== undefined && (list === '' || list.startsWith('?')) ? { list } : {}),
    ...(erased !== undefined ? { erased } : {}),
  };
}
