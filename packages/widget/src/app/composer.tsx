import { useEffect, useRef, useState } from 'preact/hooks';
import { useLanguage } from './i18n.js';

/** Typing facts go out at most this often; the draft they carry is at most this old. */
const TYPING_EVERY_MS = 1000;
/** With no keystroke for this long, the visitor has stopped typing. */
const TYPING_IDLE_MS = 4000;

type Props = {
  placeholder: string;
  onSend(text: string): void;
  onTyping(isTyping: boolean, draft: string): void;
};

/** Enter sends, Shift+Enter breaks the line; typing and the draft go out throttled. */
export function Composer({ placeholder, onSend, onTyping }: Props) {
  const { t } = useLanguage();
  const [text, setText] = useState('');
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

  const submit = (e?: Event) => {
    e?.preventDefault();
    const content = text.trim();
    if (!content) return;
    onSend(content);
    setText('');
    draft.current = '';
    stop();
  };

  return (
    <form class="composer" onSubmit={submit}>
      <textarea
        id="composer"
        rows={1}
        aria-label={t.message}
        placeholder={placeholder}
        value={text}
        onInput={(e) => typed(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
        }}
      />
      <button type="submit" class="send" aria-label={t.send} disabled={!text.trim()}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5l.01 6.6L15 12 3.01 13.9z" />
        </svg>
      </button>
    </form>
  );
}
