import type { Message } from '@parley/protocol';
import { Lock, Mail, RotateCw } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useUsers } from '../api/hooks';
import { Attachments } from '../files/Attachments';
import { useStore } from '../realtime/store';
import { typingOf, typingStore } from '../realtime/typing';
import { Button } from '../ui/controls';
import { formatTime } from '../ui/time';
import { BotBadge } from './BotBadge';
import { noteParts } from './mentions';
import type { Pending } from './outbox';

/** A message to scroll to and mark for a moment; a new `key` does it again. */
export type MessageFocus = { seq: number; key: string };

type Props = {
  conversationId: string;
  messages: readonly Message[];
  focus?: MessageFocus;
  pending: readonly Pending[];
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (p: Pending) => void;
};

/** The history, pending sends, and the visitor's live draft, in that order. */
export function MessageList(props: Props) {
  const { messages, pending } = props;
  const typing = useStore(typingStore, (all) => typingOf(all, props.conversationId));
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const lastSeq = messages[messages.length - 1]?.seq;

  // New messages scroll into view only if the agent was already at the bottom (not reading back).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [lastSeq, pending.length, typing.draft, typing.visitorTyping]);
  useEffect(() => {
    stickToBottom.current = true;
  }, [props.conversationId]);
  // The list shrinks when the composer grows (files picked, lines typed): the newest message
  // stays in view, as it does when a message arrives.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // After the effect above, so that reading back from a search hit is not pulled to the bottom.
  const [marked, setMarked] = useState<number>();
  const focusedKey = useRef<string>(undefined);
  const { focus } = props;
  useEffect(() => {
    if (!focus || focusedKey.current === focus.key) return;
    const target = scroller.current?.querySelector(`[data-seq="${focus.seq}"]`);
    if (!target) return; // not here yet: fetched older messages will bring it
    focusedKey.current = focus.key;
    stickToBottom.current = false;
    target.scrollIntoView({ block: 'center' });
    setMarked(focus.seq);
  }, [focus, messages]);
  useEffect(() => {
    if (marked === undefined) return;
    const timer = setTimeout(() => setMarked(undefined), 2500);
    return () => clearTimeout(timer);
  }, [marked, focus?.key]);

  return (
    <div
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
        if (el.scrollTop < 40 && props.hasMore && !props.loadingOlder) props.onLoadOlder();
      }}
      className="min-h-0 flex-1 space-y-2 overflow-y-auto bg-slate-50 px-4 py-3"
      role="log"
      aria-label="Messages"
      // Focusable, so that the history scrolls with the keyboard too.
      tabIndex={0}
    >
      {props.hasMore ? (
        <div className="text-center">
          <Button variant="ghost" onClick={props.onLoadOlder} disabled={props.loadingOlder}>
            {props.loadingOlder ? 'Loading…' : 'Load earlier messages'}
          </Button>
        </div>
      ) : null}
      {messages.map((m) => (
        <Bubble key={m.id} message={m} marked={m.seq === marked} />
      ))}
      {pending
        .filter((p) => !messages.some((m) => m.clientId === p.clientId))
        .map((p) => (
          <div key={p.clientId} className="flex flex-col items-end" data-testid="pending">
            {p.content ? (
              <div
                className={`max-w-[75%] whitespace-pre-wrap break-words rounded-lg px-3 py-2 text-sm opacity-80 ${
                  p.type === 'note'
                    ? 'border border-dashed border-amber-400 bg-amber-50 text-amber-950'
                    : 'bg-blue-600 text-on-accent'
                }`}
              >
                {p.content}
              </div>
            ) : null}
            <Attachments attachments={p.attachments} align="end" />
            {p.state === 'failed' ? (
              <button
                onClick={() => props.onRetry(p)}
                className="mt-0.5 flex items-center gap-1 text-xs font-medium text-red-700 hover:underline"
              >
                <RotateCw aria-hidden className="h-3 w-3" /> Not sent ({p.error}). Retry
              </button>
            ) : (
              <span className="mt-0.5 text-xs text-slate-600">Sending…</span>
            )}
          </div>
        ))}
      {typing.visitorTyping || typing.draft ? (
        <div className="flex flex-col items-start" data-testid="visitor-draft">
          <span className="mb-0.5 text-xs text-slate-600">
            Visitor is typing{typing.draft ? ' (not sent yet)' : '…'}
          </span>
          {typing.draft ? (
            <div className="max-w-[75%] whitespace-pre-wrap break-words rounded-lg border border-dashed border-slate-400 bg-white px-3 py-2 text-sm italic text-slate-600">
              {typing.draft}
            </div>
          ) : null}
        </div>
      ) : null}
      {typing.agents.length > 0 ? (
        <p className="text-right text-xs text-slate-600">{typing.agents.join(', ')} typing…</p>
      ) : null}
    </div>
  );
}

/** Links only for http(s); everything else is plain text (React escapes it). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a
            key={i}
            href={part}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="underline"
          >
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** A note's words, with each `@Name` of a teammate it mentions set apart. */
function MentioningNote({ content, mentions }: { content: string; mentions: string[] }) {
  const users = useUsers().data?.items ?? [];
  const mentioned = users.filter((u) => mentions.includes(u.id));
  return (
    <>
      {noteParts(content, mentioned).map((part, i) =>
        part.mention ? (
          <span
            key={i}
            data-testid="mention"
            className="rounded bg-blue-50 px-0.5 font-semibold text-blue-700"
          >
            {part.text}
          </span>
        ) : (
          <Linkified key={i} text={part.text} />
        ),
      )}
    </>
  );
}

const ring = 'ring-4 ring-amber-400 ring-offset-2';

/** A reply that came by email, and the address it came from (the visitor's: others are refused). */
function ViaEmail({ from }: { from: string }) {
  return (
    <>
      <span data-testid="via-email" className="break-all">
        <Mail aria-hidden className="mr-1 inline h-3 w-3 align-[-2px]" />
        via email · {from}
      </span>
      {' · '}
    </>
  );
}

function Bubble({ message: m, marked }: { message: Message; marked: boolean }) {
  if (m.type === 'system' || m.sender === 'system') {
    return (
      <p data-seq={m.seq} className="py-1 text-center text-xs text-slate-600">
        {m.content} · {formatTime(m.createdAt)}
      </p>
    );
  }
  const mine = m.sender === 'agent';
  const note = m.type === 'note';
  const style = note
    ? 'border border-amber-300 bg-amber-50 text-amber-950'
    : mine
      ? 'bg-blue-600 text-on-accent'
      : 'border border-slate-200 bg-white text-slate-900';
  return (
    <div
      className={`flex flex-col ${mine ? 'items-end' : 'items-start'}`}
      data-testid={note ? 'note' : 'message'}
      data-seq={m.seq}
      data-marked={marked || undefined}
    >
      {/* Files sent without a word have no bubble of text, only the note's label if a note. */}
      {m.content || note ? (
        <div
          className={`max-w-[75%] whitespace-pre-wrap break-words rounded-lg px-3 py-2 text-sm transition-shadow duration-500 ${style} ${
            marked ? ring : ''
          }`}
        >
          {note ? (
            <span
              className={`flex items-center gap-1 text-xs font-semibold text-amber-800 ${m.content ? 'mb-1' : ''}`}
            >
              <Lock aria-hidden className="h-3 w-3" /> Internal note · not visible to the visitor
            </span>
          ) : null}
          {note && m.mentions?.length ? (
            <MentioningNote content={m.content} mentions={m.mentions} />
          ) : (
            <Linkified text={m.content} />
          )}
        </div>
      ) : null}
      <Attachments
        attachments={m.attachments}
        align={mine ? 'end' : 'start'}
        className={marked && !m.content && !note ? `rounded-lg ${ring}` : ''}
      />
      <span className="mt-0.5 text-xs text-slate-600">
        {mine ? (m.senderName ?? 'Agent') : null}
        {mine && m.fromBot ? (
          <>
            {' '}
            <BotBadge />
          </>
        ) : null}
        {mine ? ' · ' : null}
        {m.emailFrom ? <ViaEmail from={m.emailFrom} /> : null}
        {formatTime(m.createdAt)}
      </span>
    </div>
  );
}
