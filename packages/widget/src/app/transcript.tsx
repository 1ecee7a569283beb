import { useState } from 'preact/hooks';
import { requestTranscript } from './api.js';
import { fill, useLanguage } from './i18n.js';

type Props = { conversationId: string; email: string | null; token: () => string };

/** A closed chat, by email: to the address the visitor gave, or one they type here. */
export function TranscriptRequest({ conversationId, email, token }: Props) {
  const { t } = useLanguage();
  const [asking, setAsking] = useState(false);
  const [address, setAddress] = useState('');
  const [state, setState] = useState<{ sentTo?: string; error?: string; busy?: boolean }>({});

  const send = async (e?: Event) => {
    e?.preventDefault();
    setState({ busy: true });
    try {
      const to = await requestTranscript(token(), conversationId, email ? undefined : address);
      setState({ sentTo: to });
    } catch (error) {
      setState({ error: error instanceof Error ? error.message : t.transcriptFailed });
    }
  };

  if (state.sentTo) {
    return (
      <p class="note" role="status">
        {fill(t.transcriptSent, { email: state.sentTo })}
      </p>
    );
  }
  if (!email && asking) {
    return (
      <form class="transcript" onSubmit={send}>
        <input
          type="email"
          required
          aria-label={t.yourEmail}
          placeholder="you@example.com"
          maxLength={254}
          value={address}
          onInput={(e) => setAddress(e.currentTarget.value)}
        />
        <button class="primary" type="submit" disabled={state.busy}>
          {t.send}
        </button>
        {state.error && (
          <p class="error" role="alert">
            {state.error}
          </p>
        )}
      </form>
    );
  }
  return (
    <div class="transcript">
      <button
        class="link"
        type="button"
        disabled={state.busy}
        onClick={() => (email ? void send() : setAsking(true))}
      >
        {t.emailChat}
      </button>
      {state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}
