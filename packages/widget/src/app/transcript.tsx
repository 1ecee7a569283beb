import { useState } from 'preact/hooks';
import { requestTranscript } from './api.js';
import { fill, useLanguage } from './i18n.js';

type Props = { conversationId: string; email: string | null; token: () => string };
type State = {
  /** The email is on its way to this address. */
  sentTo?: string;
  /** A code went to this address first: the visitor types it to get the transcript. */
  codeTo?: string;
  error?: string;
  busy?: boolean;
};

/**
 * A closed chat, by email: to the address the visitor gave, or one they type here. An address
 * they have not shown is theirs gets a code first (issue 32), which they type here.
 */
export function TranscriptRequest({ conversationId, email, token }: Props) {
  const { t } = useLanguage();
  const [asking, setAsking] = useState(false);
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [state, setState] = useState<State>({});

  const ask = async (body: { email?: string; code?: string }) => {
    setState((s) => ({ codeTo: s.codeTo, busy: true }));
    try {
      const reply = await requestTranscript(token(), conversationId, body);
      setState(reply.codeSent ? { codeTo: reply.to } : { sentTo: reply.to });
    } catch (error) {
      const message = error instanceof Error ? error.message : t.transcriptFailed;
      setState((s) => ({ codeTo: s.codeTo, error: message }));
    }
  };
  const send = (e?: Event) => {
    e?.preventDefault();
    void ask(email ? {} : { email: address });
  };
  const confirm = (e: Event) => {
    e.preventDefault();
    void ask({ code });
  };

  const error = state.error && (
    <p class="error" role="alert">
      {state.error}
    </p>
  );
  if (state.sentTo) {
    return (
      <p class="note" role="status">
        {fill(t.transcriptSent, { email: state.sentTo })}
      </p>
    );
  }
  if (state.codeTo) {
    return (
      <form class="transcript" onSubmit={confirm}>
        <p class="note" role="status">
          {fill(t.transcriptCodeSent, { email: state.codeTo })}
        </p>
        <input
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          pattern="[0-9]{6}"
          maxLength={6}
          aria-label={t.transcriptCode}
          placeholder="123456"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
        />
        <button class="primary" type="submit" disabled={state.busy}>
          {t.send}
        </button>
        {error}
      </form>
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
        {error}
      </form>
    );
  }
  return (
    <div class="transcript">
      <button
        class="link"
        type="button"
        disabled={state.busy}
        onClick={() => (email ? send() : setAsking(true))}
      >
        {t.emailChat}
      </button>
      {error}
    </div>
  );
}
