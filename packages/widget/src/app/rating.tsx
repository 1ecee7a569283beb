import type { VisitorConversation } from '@parley/protocol';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useLanguage } from './i18n.js';

type Props = {
  conversation: VisitorConversation;
  onRate(rating: 'up' | 'down', comment: string): Promise<boolean>;
  onNewChat(): void;
  /** Shown under it: the transcript by email, when Parley can email. */
  children?: ComponentChildren;
};

const thumb =
  'M2 21h4V9H2zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7z';

/** A closed chat: thumbs up or down with an optional comment, then a new chat. */
export function RatingPanel({ conversation, onRate, onNewChat, children }: Props) {
  const { t } = useLanguage();
  const [choice, setChoice] = useState<'up' | 'down' | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);

  if (conversation.rating) {
    return (
      <div class="closing">
        <p>{t.thanksRating}</p>
        <button class="primary" type="button" onClick={onNewChat}>
          {t.newChat}
        </button>
        {children}
      </div>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!choice) return;
    setBusy(true);
    if (!(await onRate(choice, comment.trim()))) setBusy(false);
  };

  return (
    <form class="closing" onSubmit={submit}>
      <p id="rate-q">{t.ended}</p>
      <div class="thumbs" role="radiogroup" aria-labelledby="rate-q">
        {(['up', 'down'] as const).map((r) => (
          <button
            key={r}
            type="button"
            role="radio"
            aria-checked={choice === r}
            aria-label={r === 'up' ? t.good : t.bad}
            class={`thumb ${r}`}
            onClick={() => setChoice(r)}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d={thumb} />
            </svg>
          </button>
        ))}
      </div>
      {choice && (
        <textarea
          aria-label={t.comment}
          placeholder={t.commentPlaceholder}
          rows={2}
          maxLength={1000}
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
      )}
      <div class="row">
        <button class="primary" type="submit" disabled={!choice || busy}>
          {t.sendRating}
        </button>
        <button class="link" type="button" onClick={onNewChat}>
          {t.newChat}
        </button>
      </div>
      {children}
    </form>
  );
}
