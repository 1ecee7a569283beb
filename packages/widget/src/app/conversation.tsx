import type { Attachment, Message } from '@parley/protocol';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatState } from './chat.js';
import { fill, useLanguage } from './i18n.js';
import { PartFailed, usePart } from './lazy.js';
import type { OutboxItem } from './outbox.js';
import { filesPart } from './parts.js';
import { RichText } from './rich-text.js';

/** The time of day in the visitor's language's own way (13:05, 1:05 PM, 13時05分…). */
const time = (iso: string, locale: string) =>
  new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });

type Token = () => string;

/** A message's files, drawn by the files part (fetched as soon as any message has files). */
function Attached({ files, token }: { files: Attachment[]; token: Token }) {
  const { module, failed, retry } = usePart(filesPart);
  if (failed) return <PartFailed retry={retry} />;
  return module ? <module.Files files={files} token={token} /> : null;
}

function Bubble(props: {
  mine: boolean;
  name?: string | null;
  /** The sender is a bot, which the visitor is told. */
  bot?: boolean;
  at: string;
  text: string;
  files?: Attachment[] | undefined;
  token?: Token;
  note?: string;
}) {
  const { locale, t } = useLanguage();
  const { files, token } = props;
  return (
    <li class={`msg ${props.mine ? 'mine' : 'theirs'}`}>
      {props.name && (
        <span class="who">
          {props.name}
          {props.bot && <b class="bot">{t.bot}</b>}
        </span>
      )}
      {/* Each message in its own direction: a French line stays left to right in Arabic. */}
      {props.text && (
        <p class="bubble" dir="auto">
          <RichText text={props.text} />
        </p>
      )}
      {files?.length && token ? <Attached files={files} token={token} /> : null}
      <span class="meta">
        {props.note ?? <time dateTime={props.at}>{time(props.at, locale)}</time>}
      </span>
    </li>
  );
}

function Line({ message, token }: { message: Message; token: Token }) {
  if (message.sender === 'system') {
    return (
      <li class="system">
        <span dir="auto">{message.content}</span>
      </li>
    );
  }
  const mine = message.sender === 'visitor';
  return (
    <Bubble
      mine={mine}
      name={mine ? null : message.senderName}
      bot={message.fromBot}
      at={message.createdAt}
      text={message.content}
      files={message.attachments}
      token={token}
    />
  );
}

const Pending = ({ item, note, token }: { item: OutboxItem; note: string; token: Token }) => (
  <Bubble
    mine
    at={item.createdAt}
    text={item.content}
    files={item.files}
    token={token}
    note={note}
  />
);

/**
 * The conversation as a log: screen readers announce what is added (role=log is polite), so a
 * new reply is read out without moving the visitor's focus. The log is focusable so that it
 * scrolls with the keyboard, and it stays scrolled to the end when it gets shorter (the rating
 * form appears under a closed chat, the phone's keyboard opens).
 */
export function MessageList({
  state,
  greeting,
  token,
}: {
  state: ChatState;
  greeting: string;
  token: Token;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const { messages, outbox, failed, conversation } = state;
  const { t } = useLanguage();
  // Items of an earlier conversation wait for theirs; new ones belong to whatever comes next.
  const pending = outbox.filter(
    (i) => i.conversationId === null || i.conversationId === conversation?.id,
  );
  const withFiles =
    messages.some((m) => m.attachments.length > 0) ||
    [...pending, ...failed].some((i) => i.files?.length);
  // Files drawn once their part arrives grow the log as a new message does: it follows them.
  const files = usePart(filesPart, withFiles).module;
  useLayoutEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, pending.length, failed.length, state.agentTyping, files]);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => end.current?.scrollIntoView({ block: 'end' }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div class="scroll" ref={scroller} role="log" aria-label={t.messages} tabIndex={0}>
      <ol class="log">
        {greeting && <Bubble mine={false} at="" text={greeting} note="" />}
        {messages.map((m) => (
          <Line key={m.id} message={m} token={token} />
        ))}
        {pending.map((i) => (
          <Pending
            key={i.clientId}
            item={i}
            token={token}
            note={state.connected ? t.sending : t.waiting}
          />
        ))}
        {failed.map((i) => (
          <Pending key={i.clientId} item={i} token={token} note={t.notSent} />
        ))}
      </ol>
      {state.agentTyping && (
        <p class="typing">
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {fill(t.typing, { name: state.agentTyping })}
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
