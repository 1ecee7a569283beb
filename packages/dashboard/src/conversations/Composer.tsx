import type { Attachment, CannedResponse } from '@parley/protocol';
import { Lock, MessageSquare, Paperclip, Send } from 'lucide-react';
import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
} from 'react';
import { useCannedResponses, useUsers } from '../api/hooks';
import { useMe } from '../auth/AuthProvider';
import { FileChips } from '../files/FileChips';
import { pastedName } from '../files/format';
import type { Uploads } from '../files/useUploads';
import { useShortcut } from '../keyboard/shortcuts';
import { useRealtime } from '../realtime/RealtimeProvider';
import { Button } from '../ui/controls';
import {
  cannedChoices,
  choiceId,
  ComposerPicker,
  teammateChoices,
  usePickerKeys,
} from './ComposerPicker';
import {
  insertMention,
  mentionedIds,
  mentionQuery,
  teammatesMatching,
  type MentionQuery,
  type Teammate,
} from './mentions';
import { insertCanned, shortcutQuery } from './messages';

type Props = {
  conversationId: string;
  disabled: boolean;
  /** The message's files, held by the chat so that files dropped anywhere on it land here. */
  uploads: Uploads;
  onSend: (
    content: string,
    type: 'text' | 'note',
    attachments: Attachment[],
    mentions: string[],
  ) => void;
};

// "Is typing" is repeated while typing continues; the server's fact expires on the other side.
const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;

/**
 * Enter sends, Shift+Enter breaks the line; `#shortcut` opens the canned responses picker, and
 * in a note `@` the teammates to mention. Files come by the paperclip, by pasting (a
 * screenshot) or by dropping them on the chat.
 */
export function Composer({ conversationId, disabled, uploads, onSend }: Props) {
  const { socket } = useRealtime();
  const me = useMe();
  const [draft, setDraft] = useState('');
  // Where the caret is: an `@name` is looked for just before it.
  const [caret, setCaret] = useState(0);
  const [mode, setMode] = useState<'text' | 'note'>('text');
  // Teammates picked since the last send; those still named in the note are its mentions.
  const [picked, setPicked] = useState<Teammate[]>([]);
  const canned = useCannedResponses().data?.items ?? [];
  const users = useUsers().data?.items;
  const teammates = useMemo(
    () => (users ?? []).filter((u) => u.active && u.kind === 'person' && u.id !== me.id),
    [users, me.id],
  );
  const listId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // A caret to put back once React has written the draft that a pick changed.
  const caretAfterPick = useRef<number | null>(null);
  const typing = useRef({
    sentAt: 0,
    idle: undefined as ReturnType<typeof setTimeout> | undefined,
  });

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
    setPicked([]);
    textarea.current?.focus();
    // Reset per conversation only: stopTyping is recreated each render on purpose.
    return stopTyping;
  }, [conversationId]);
  useLayoutEffect(() => {
    const at = caretAfterPick.current;
    if (at === null) return;
    caretAfterPick.current = null;
    textarea.current?.setSelectionRange(at, at);
  }, [draft]);

  const focusAs = (kind: 'text' | 'note') => {
    setMode(kind);
    textarea.current?.focus();
  };
  useShortcut('reply', () => focusAs('text'), !disabled);
  useShortcut('note', () => focusAs('note'), !disabled);

  const note = mode === 'note';
  const replaceDraft = (text: string, at: number) => {
    setDraft(text);
    setCaret(at);
    caretAfterPick.current = at;
    textarea.current?.focus();
  };
  const chooseCanned = (c: CannedResponse) => {
    const text = insertCanned(draft, c.content);
    replaceDraft(text, text.length);
  };
  const chooseTeammate = (teammate: Teammate, mention: MentionQuery) => {
    const next = insertMention(draft, caret, mention, teammate.name);
    replaceDraft(next.text, next.caret);
    setPicked((p) => [...p, teammate]);
  };

  // Only a note mentions teammates: a reply never offers them.
  const mention = note ? mentionQuery(draft, caret) : null;
  const mentionChoices = mention
    ? teammateChoices(teammatesMatching(teammates, mention.query), (t) =>
        chooseTeammate(t, mention),
      )
    : [];
  const shortcut = shortcutQuery(draft);
  const [pickerLabel, choices] =
    mentionChoices.length > 0
      ? ['Teammates to mention', mentionChoices]
      : [
          'Canned responses',
          shortcut === null ? [] : cannedChoices(canned, shortcut, chooseCanned),
        ];
  const picker = usePickerKeys(choices, draft);

  // A message is text, files, or both; it waits for its files to be uploaded.
  const canSend =
    !disabled && !uploads.busy && (draft.trim() !== '' || uploads.attachments.length > 0);
  const send = () => {
    if (!canSend) return;
    onSend(draft.trim(), mode, uploads.attachments, note ? mentionedIds(draft, picked) : []);
    setDraft('');
    setPicked([]);
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
    if (picker.onKeyDown(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <div
      className={`relative border-t p-3 ${note ? 'border-amber-300 bg-amber-50' : 'border-slate-200 bg-white'}`}
    >
      {picker.open ? (
        <ComposerPicker
          id={listId}
          label={pickerLabel}
          choices={choices}
          active={picker.activeIndex}
        />
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
            {/* Each hint whole on its line when a phone's width breaks them. */}
            {note ? (
              <>
                <span className="whitespace-nowrap">
                  <kbd className="font-sans">@</kbd> to mention ·
                </span>{' '}
              </>
            ) : null}
            <span className="whitespace-nowrap">
              <kbd className="font-sans">#</kbd> for canned responses
            </span>
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
          aria-controls={picker.open ? listId : undefined}
          aria-activedescendant={picker.open ? choiceId(listId, picker.activeIndex) : undefined}
          placeholder={
            disabled
              ? 'This conversation is closed'
              : note
                ? 'Write a note for your team…'
                : 'Type a reply…'
          }
          onChange={(e) => {
            setDraft(e.target.value);
            setCaret(e.target.selectionStart);
            noteTyping();
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
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
