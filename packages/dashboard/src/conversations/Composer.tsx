import type { Attachment, CannedResponse } from '@parley/protocol';
import { Lock, MessageSquare, Paperclip, Send } from 'lucide-react';
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
} from 'react';
import { useCannedResponses } from '../api/hooks';
import { FileChips } from '../files/FileChips';
import { pastedName } from '../files/format';
import type { Uploads } from '../files/useUploads';
import { useShortcut } from '../keyboard/shortcuts';
import { useRealtime } from '../realtime/RealtimeProvider';
import { Button } from '../ui/controls';
import { insertCanned, shortcutQuery } from './messages';

type Props = {
  conversationId: string;
  disabled: boolean;
  /** The message's files, held by the chat so that files dropped anywhere on it land here. */
  uploads: Uploads;
  onSend: (content: string, type: 'text' | 'note', attachments: Attachment[]) => void;
};

// "Is typing" is repeated while typing continues; the server's fact expires on the other side.
const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;

/**
 * Enter sends, Shift+Enter breaks the line; `#shortcut` opens the canned responses picker.
 * Files come by the paperclip, by pasting (a screenshot) or by dropping them on the chat.
 */
export function Composer({ conversationId, disabled, uploads, onSend }: Props) {
  const { socket } = useRealtime();
  const [draft, setDraft] = useState('');
  const [mode, setMode] = useState<'text' | 'note'>('text');
  const [picked, setPicked] = useState(0);
  const canned = useCannedResponses().data?.items ?? [];
  const listId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const typing = useRef({
    sentAt: 0,
    idle: undefined as ReturnType<typeof setTimeout> | undefined,
  });

  const shortcut = shortcutQuery(draft);
  const matches = useMemo(
    () =>
      shortcut === null
        ? []
        : canned
            .filter(
              (c) => c.shortcut.startsWith(shortcut) || c.title.toLowerCase().includes(shortcut),
            )
            .slice(0, 6),
    [canned, shortcut],
  );
  const pickerOpen = matches.length > 0;

  const stopTyping = () => {
    clearTimeout(typing.current.idle);
    if (typing.current.sentAt === 0) return;
    typing.current.sentAt = 0;
    socket.emit('typing.set', { conversationId, isTyping: false });
  };
  const noteTyping = () => {
    // A note is for the team: the visitor is not told that anyone is typing it.
    if (mode === 'note') return;
    const now = Date.now();
    if (now - typing.current.sentAt > TYPING_REPEAT_MS) {
      typing.current.sentAt = now;
      socket.emit('typing.set', { conversationId, isTyping: true });
    }
    clearTimeout(typing.current.idle);
    typing.current.idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  };
  useEffect(() => {
    setDraft('');
    textarea.current?.focus();
    // Reset per conversation only: stopTyping is recreated each render on purpose.
    return stopTyping;
  }, [conversationId]);

  const focusAs = (kind: 'text' | 'note') => {
    setMode(kind);
    textarea.current?.focus();
  };
  useShortcut('reply', () => focusAs('text'), !disabled);
  useShortcut('note', () => focusAs('note'), !disabled);

  const choose = (c: CannedResponse) => {
    setDraft((d) => insertCanned(d, c.content));
    setPicked(0);
    textarea.current?.focus();
  };
  // A message is text, files, or both; it waits for its files to be uploaded.
  const canSend =
    !disabled && !uploads.busy && (draft.trim() !== '' || uploads.attachments.length > 0);
  const send = () => {
    if (!canSend) return;
    onSend(draft.trim(), mode, uploads.attachments);
    setDraft('');
    uploads.clear();
    stopTyping();
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.items]
      .filter((item) => item.kind === 'file')
      .flatMap((item) => item.getAsFile() ?? []);
    if (files.length === 0 || disabled) return;
    e.preventDefault();
    const at = new Date();
    uploads.add(files.map((f) => new File([f], pastedName(f.name, f.type, at), { type: f.type })));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (pickerOpen && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setPicked((p) => (p + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
      return;
    }
    if (pickerOpen && (e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      e.preventDefault();
      const choice = matches[Math.min(picked, matches.length - 1)];
      if (choice) choose(choice);
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const note = mode === 'note';
  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div
      className={`relative border-t p-3 ${note ? 'border-amber-300 bg-amber-50' : 'border-slate-200 bg-white'}`}
    >
      {pickerOpen ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Canned responses"
          className="absolute bottom-full left-3 right-3 mb-1 max-h-60 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
        >
          {matches.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === picked}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(c);
              }}
              className={`cursor-pointer px-3 py-2 text-sm ${i === picked ? 'bg-blue-50' : ''}`}
            >
              <span className="font-mono text-blue-700">#{c.shortcut}</span>{' '}
              <span className="font-medium text-slate-900">{c.title}</span>
              <span className="block truncate text-slate-600">{c.content}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mb-2 flex items-center gap-2">
        <div className="flex shrink-0 gap-1" role="radiogroup" aria-label="Message kind">
          <ModeButton
            active={!note}
            onClick={() => setMode('text')}
            icon={<MessageSquare className="h-3.5 w-3.5" />}
          >
            Reply
          </ModeButton>
          <ModeButton
            active={note}
            onClick={() => setMode('note')}
            icon={<Lock className="h-3.5 w-3.5" />}
          >
            Internal note
          </ModeButton>
        </div>
        {/* The keys, beside the kinds rather than in the placeholder, which a narrow box cut. */}
        {!disabled ? (
          <p data-testid="composer-hint" className="ml-auto text-right text-xs text-slate-600">
            <span className="hidden 2xl:inline">Enter sends, Shift+Enter breaks the line · </span>
            <kbd className="font-sans">#</kbd> for canned responses
          </p>
        ) : null}
      </div>
      <FileChips uploads={uploads.uploads} onRemove={uploads.remove} onRetry={uploads.retry} />
      <div className="flex items-end gap-2">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          onChange={(e) => {
            uploads.add([...(e.target.files ?? [])]);
            e.target.value = ''; // the same file may be picked again
          }}
        />
        <Button
          variant="ghost"
          onClick={() => fileInput.current?.click()}
          disabled={disabled}
          aria-label="Attach files"
          title="Attach files (or paste, or drop them on the chat)"
          className="px-2"
        >
          <Paperclip aria-hidden className="h-4 w-4" />
        </Button>
        <textarea
          ref={textarea}
          value={draft}
          rows={2}
          disabled={disabled}
          aria-label={note ? 'Internal note (only agents see it)' : 'Reply to the visitor'}
          aria-autocomplete="list"
          aria-controls={pickerOpen ? listId : undefined}
          aria-activedescendant={
            pickerOpen ? optionId(Math.min(picked, matches.length - 1)) : undefined
          }
          placeholder={
            disabled
              ? 'This conversation is closed'
              : note
                ? 'Write a note for your team…'
                : 'Type a reply…'
          }
          onChange={(e) => {
            setDraft(e.target.value);
            setPicked(0);
            noteTyping();
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={stopTyping}
          className={`max-h-40 min-h-[2.75rem] flex-1 resize-y rounded-md border px-3 py-2 text-sm focus:outline-none focus:ring-2 ${
            note
              ? 'border-amber-400 bg-white focus:ring-amber-500/40'
              : 'border-slate-300 focus:border-blue-600 focus:ring-blue-600/30'
          }`}
        />
        <Button onClick={send} disabled={!canSend} aria-label={note ? 'Add note' : 'Send'}>
          <Send aria-hidden className="h-4 w-4" />
          <span className="hidden md:inline">{note ? 'Add note' : 'Send'}</span>
        </Button>
      </div>
    </div>
  );
}

function ModeButton(props: {
  active: boolean;
  onClick: () => void;
  icon: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <button
      role="radio"
      aria-checked={props.active}
      onClick={props.onClick}
      className={`flex items-center gap-1 whitespace-nowrap rounded px-2 py-1 text-xs font-medium ${
        props.active ? 'bg-slate-800 text-slate-50' : 'text-slate-700 hover:bg-slate-100'
      }`}
    >
      {props.icon}
      {props.children}
    </button>
  );
}
