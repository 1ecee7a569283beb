import { useState } from 'react';
import { Button, Field, FormError } from '../ui/controls';
import { useAuth } from './AuthProvider';
import { AuthShell } from './AuthShell';
import { useAuthForm } from './useAuthForm';

/**
 * The sign-in's second step, when two-factor sign-in is on: the code from the app, or "use a
 * recovery code" instead. The challenge lasts 5 minutes; after that, or after too many wrong
 * codes, "Start again" goes back to the password.
 */
export function TwoFactorStep({
  challenge,
  onRestart,
}: {
  challenge: string;
  onRestart: () => void;
}) {
  const [recovery, setRecovery] = useState(false);
  return (
    <AuthShell
      title="Two-factor sign-in"
      subtitle={
        recovery
          ? 'Enter one of your recovery codes. Each works once.'
          : 'Enter the 6-digit code from your authenticator app.'
      }
    >
      {/* A form of its own per mode: switching starts with an empty field and no old error. */}
      <ProofForm key={String(recovery)} challenge={challenge} recovery={recovery} />
      <div className="mt-4 flex flex-col items-center gap-2 text-sm">
        <button
          type="button"
          className="text-blue-700 underline"
          onClick={() => setRecovery(!recovery)}
        >
          {recovery ? 'Use a code from the app' : 'Use a recovery code'}
        </button>
        <button type="button" className="text-slate-600 underline" onClick={onRestart}>
          Start again
        </button>
      </div>
    </AuthShell>
  );
}

function ProofForm({ challenge, recovery }: { challenge: string; recovery: boolean }) {
  const { completeTwoFactor } = useAuth();
  const { submit, error, busy } = useAuthForm((form) => {
    const typed = String(form.get('proof'));
    return completeTwoFactor(challenge, recovery ? { recoveryCode: typed } : { code: typed });
  });
  return (
    <form onSubmit={submit} className="space-y-3">
      {recovery ? (
        <Field
          label="Recovery code"
          name="proof"
          autoComplete="off"
          spellCheck={false}
          maxLength={40}
          required
          autoFocus
        />
      ) : (
        <Field
          label="Code"
          name="proof"
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          required
          autoFocus
        />
      )}
      <FormError error={error} />
      <Button type="submit" disabled={busy} className="w-full">
        {busy ? 'Checking…' : 'Sign in'}
      </Button>
    </form>
  );
}
