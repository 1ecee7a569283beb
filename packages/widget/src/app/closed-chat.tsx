import type { VisitorConversation } from '@parley/protocol';
import { useLanguage } from './i18n.js';
import { PartFailed, usePart } from './lazy.js';
import { ratingPart, transcriptPart } from './parts.js';

type Props = {
  conversation: VisitorConversation;
  /** Parley can email: the transcript is offered under the rating. */
  email: boolean;
  visitorEmail: string | null;
  token: () => string;
  onRate(rating: 'up' | 'down', comment: string): Promise<boolean>;
  onNewChat(): void;
};

/**
 * Under a closed chat: the rating form, and the transcript by email, both parts fetched when a
 * conversation closes (while the chat is still closed on the page, usually), and drawn together
 * once both are there. Should one not arrive, the visitor can ask again or start a new chat.
 */
export function ClosedChat({ conversation, email, visitorEmail, token, onRate, onNewChat }: Props) {
  const { t } = useLanguage();
  const rating = usePart(ratingPart);
  const transcript = usePart(transcriptPart, email);
  if (rating.failed || transcript.failed) {
    return (
      <div class="part-failed">
        <PartFailed
          retry={() => {
            rating.retry();
            transcript.retry();
          }}
        />
        <button class="link" type="button" onClick={onNewChat}>
          {t.newChat}
        </button>
      </div>
    );
  }
  const Transcript = transcript.module?.TranscriptRequest;
  if (!rating.module || (email && !Transcript)) return null;
  const { RatingPanel } = rating.module;
  return (
    <RatingPanel conversation={conversation} onRate={onRate} onNewChat={onNewChat}>
      {email && Transcript && (
        <Transcript conversationId={conversation.id} email={visitorEmail} token={token} />
      )}
    </RatingPanel>
  );
}
