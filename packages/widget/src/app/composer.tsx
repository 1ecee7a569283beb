import type { Attachment, FileSettings } from '@parley/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLanguage } from './i18n.js';
import { prepareUploads, useUploads } from './use-uploads.js';

/** Typing facts go out at most this often; the draft they carry is at most this old. */
const TYPING_EVERY_MS = 1000;
/** With no keystroke for this long, the visitor has stopped typing. */
const TYPING_IDLE_MS = 4000;

type Props = {
  placeholder: string;
  token: () => string;
  /** What files may be sent: none when the admin allows no type. */
  files: FileSettings;
  onSend(text: string, files: Attachment[]): void;
  onTyping(isTyping: boolean, draft: string): void;
};

/**
 * Enter sends, Shift+Enter breaks the line; typing and the draft go out throttled. Files come
 * from the paperclip, a paste (a screenshot) or a drop anywhere on the chat, and are uploaded
 * while the visitor writes; send waits until they are all up.
 */
export function Composer({ placeholder, token, files, onSend, onTyping }: Props) {
  const { t } = useLanguage();
  const [text, setText] = useState('');
  const { uploads, add, remove, clear, busy, ready } = useUploads(token, files);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const canAttach = files.types.length > 0;
  const adder = useRef(add);
  adder.current = add;
  const timers = useRef({ last: 0, trailing: 0, idle: 0 });
  const draft = useRef('');

  const stop = () => {
    const t = timers.current;
    clearTimeout(t.trailing);
    clearTimeout(t.idle);
    t.last = 0;
    onTyping(false, '');
  };

  const typed = (value: string) => {
    setText(value);
    draft.current = value;
    const t = timers.current;
    clearTimeout(t.idle);
    if (!value.trim()) return stop();
    t.idle = window.setTimeout(stop, TYPING_IDLE_MS);
    const wait = t.last + TYPING_EVERY_MS - Date.now();
    if (wait <= 0) {
      t.last = Date.now();
      onTyping(true, value);
    } else if (!t.trailing) {
      t.trailing = window.setTimeout(() => {
        t.trailing = 0;
        t.last = Date.now();
        if (draft.current.trim()) onTyping(true, draft.current);
      }, wait);
    }
  };

  useEffect(() => () => clearTimeout(timers.current.idle), []);

  // A drop anywhere on the chat attaches; an overlay says so while files are dragged over it.
  useEffect(() => {
    if (!canAttach) return;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      prepareUploads();
      setDragging(true);
    };
    const leave = (e: DragEvent) => e.relatedTarget === null && setDragging(false);
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      adder.current([...(e.dataTransfer?.files ?? [])]);
    };
    const on = document.addEventListener.bind(document);
    const off = document.removeEventListener.bind(document);
    on('dragover', over);
    on('dragleave', leave);
    on('drop', drop);
    return () => {
      off('dragover', over);
      off('dragleave', leave);
      off('drop', drop);
    };
  }, [canAttach]);

  const sendable = !busy && (text.trim() !== '' || ready.length > 0);
  const submit = (e?: Event) => {
    e?.preventDefault();
    if (!sendable) return;
    onSend(text.trim(), ready);
    setText('');
    clear();
    draft.current = '';
    stop();
  };

  return (
    <form class="composer" onSubmit={submit}>
      {dragging && <div class="drop">{t.dropFiles}</div>}
      {uploads.length > 0 && (
        <ul class="chips" aria-label={t.attach}>
          {uploads.map((u) => (
            <li key={u.key} class={u.error ? 'bad' : ''}>
              <span dir="auto">{u.error ?? u.name}</span>
              {!u.file && !u.error && (
                <progress value={u.progress} max={1} aria-label={`${t.uploading} ${u.name}`} />
              )}
              <button
                type="button"
                aria-label={`${t.remove} ${u.name}`}
                onClick={() => remove(u.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {canAttach && (
        <>
          <button
            type="button"
            class="attach"
            aria-label={t.attach}
            title={t.attach}
            onClick={() => {
              prepareUploads();
              picker.current?.click();
            }}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z" />
            </svg>
          </button>
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            onChange={(e) => {
              add([...(e.currentTarget.files ?? [])]);
              e.currentTarget.value = '';
            }}
          />
        </>
      )}
      <textarea
        id="composer"
        rows={1}
        aria-label={t.message}
        placeholder={placeholder}
        value={text}
        onInput={(e) => typed(e.currentTarget.value)}
        onPaste={(e) => {
          const pasted = [...(e.clipboardData?.files ?? [])];
          if (!canAttach || !pasted.length) return;
          e.preventDefault();
          add(pasted);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
        }}
      />
      <button type="submit" class="send" aria-label={t.send} disabled={!sendable}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5l.01 6.6L15 12 3.01 13.9z" />
        </svg>
      </button>
    </form>
  );
}
