import type { Message } from '@parley/protocol';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatState } from './chat.js';
import type { OutboxItem } from './outbox.js';
import { RichText } from './rich-text.js';

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function Bubble(props: {
  mine: boolean;
  name?: string | null;
  at: string;
  text: string;
  note?: string;
}) {
  return (
    <li class={`msg ${props.mine ? 'mine' : 'theirs'}`}>
      {props.name && <span class="who">{props.name}</span>}
      <p class="bubble">
        <RichText text={props.text} />
      </p>
      <span class="meta">{props.note ?? <time dateTime={props.at}>{time(props.at)}</time>}</span>
    </li>
  );
}

function Line({ message }: { message: Message }) {
  if (message.sender === 'system') {
    return (
      <li class="system">
        <span>{message.content}</span>
      </li>
    );
  }
  const mine = message.sender === 'visitor';
  return (
    <Bubble
      mine={mine}
      name={mine ? null : message.senderName}
      at={message.createdAt}
      text={message.content}
    />
  );
}

const Pending = ({ item, note }: { item: OutboxItem; note: string }) => (
  <Bubble mine at={item.createdAt} text={item.content} note={note} />
);

/**
 * The conversation as a log: screen readers announce what is added (role=log is polite), so a
 * new reply is read out without moving the visitor's focus. The log is focusable so that it
 * scrolls with the keyboard, and it stays scrolled to the end when it gets shorter (the rating
 * form appears under a closed chat, the phone's keyboard opens).
 */
export function MessageList({ state, greeting }: { state: ChatState; greeting: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const { messages, outbox, failed, conversation } = state;
  // Items of an earlier conversation wait for theirs; new ones belong to whatever comes next.
  const pending = outbox.filter(
    (i) => i.conversationId === null || i.conversationId === conversation?.id,
  );
  useLayoutEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, pending.length, failed.length, state.agentTyping]);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => end.current?.scrollIntoView({ block: 'end' }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div class="scroll" ref={scroller} role="log" aria-label="Messages" tabIndex={0}>
      <ol class="log">
        {greeting && <Bubble mine={false} at="" text={greeting} note="" />}
        {messages.map((m) => (
          <Line key={m.id} message={m} />
        ))}
        {pending.map((i) => (
          <Pending
            key={i.clientId}
            item={i}
            note={state.connected ? 'Sending…' : 'Waiting for connection…'}
          />
        ))}
        {failed.map((i) => (
          <Pending key={i.clientId} item={i} note="Not sent" />
        ))}
      </ol>
      {state.agentTyping && (
        <p class="typing">
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {state.agentTyping} is typing…
        </p>
      )}
      <div ref={end} />
    </div>
  );
}

/** Keeps a state in a ref for handlers that must not re-subscribe on every render. */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}
