import { useEffect, useState } from 'preact/hooks';
import type { Chat, ChatState } from './chat.js';

/** The chat's state, re-rendering on each change. */
export function useChat(chat: Chat): ChatState {
  const [state, setState] = useState(chat.state);
  useEffect(() => {
    setState(chat.state);
    return chat.subscribe(() => setState(chat.state));
  }, [chat]);
  return state;
}
