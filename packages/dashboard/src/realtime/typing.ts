import { createStore } from './store';

export type TypingState = {
  visitorTyping: boolean;
  /** The visitor's unsent text (sneak peek); shown apart from sent messages. */
  draft: string;
  /** Names of other agents typing in this conversation. */
  agents: string[];
};

export const typingStore = createStore<Record<string, TypingState>>({});
const empty: TypingState = { visitorTyping: false, draft: '', agents: [] };
export const typingOf = (all: Record<string, TypingState>, id: string) => all[id] ?? empty;

// Without a "stopped" fact (a closed tab), typing would show forever: it expires.
const EXPIRE_MS = 8000;
const timers = new Map<string, ReturnType<typeof setTimeout>>();

export function applyTyping(fact: {
  conversationId: string;
  sender: 'visitor' | 'agent';
  name: string | null;
  isTyping: boolean;
  draft?: string;
}): void {
  const { conversationId: id } = fact;
  typingStore.set((all) => {
    const current = typingOf(all, id);
    const next: TypingState =
      fact.sender === 'visitor'
        ? {
            ...current,
            visitorTyping: fact.isTyping,
            draft: fact.draft ?? (fact.isTyping ? current.draft : ''),
          }
        : {
            ...current,
            agents: fact.isTyping
              ? [...new Set([...current.agents, fact.name ?? 'An agent'])]
              : current.agents.filter((n) => n !== fact.name),
          };
    return { ...all, [id]: next };
  });
  const key = `${id}:${fact.sender}:${fact.name ?? ''}`;
  clearTimeout(timers.get(key));
  if (fact.isTyping) {
    timers.set(
      key,
      setTimeout(() => applyTyping({ ...fact, isTyping: false, draft: '' }), EXPIRE_MS),
    );
  }
}

/** A sent message ends its sender's typing at once. */
export function clearVisitorTyping(conversationId: string): void {
  typingStore.set((all) => ({
    ...all,
    [conversationId]: { ...typingOf(all, conversationId), visitorTyping: false, draft: '' },
  }));
}
