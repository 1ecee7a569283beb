import { useState } from 'react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { useEmailOn } from '../api/hooks';
import { Button, Field, FormError, Notice } from '../ui/controls';
import { AuthShell } from './AuthShell';
import { useAuthForm } from './useAuthForm';

const backToSignIn = (
  <p className="mt-4 text-center text-sm">
    <Link to="/login" className="text-blue-700 underline">
      Back to sign in
    </Link>
  </p>
);

/** Asks for a reset link by email. The answer never says whether the address has an account. */
export function ForgotPasswordPage() {
  const emailOn = useEmailOn();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { submit, error, busy } = useAuthForm(async (form) => {
    const email = String(form.get('email'));
    await call('requestPasswordReset', { body: { email } });
    setSentTo(email);
  });

  if (emailOn === false) {
    return (
      <AuthShell title="Reset your password" subtitle="This Parley does not send email.">
        <p className="text-sm text-slate-700">
          Without email it cannot send you a reset link. Ask an admin to turn email on (Settings →
          Email says how), then come back here.
        </p>
        {backToSignIn}
      </AuthShell>
    );
  }
  if (sentTo) {
    return (
      <AuthShell title="Check your email" subtitle="The link sets a new password.">
        <Notice>
          If an account exists for <strong className="break-all">{sentTo}</strong>, a reset link is
          on its way. It works once, within an hour.
        </Notice>
        {backToSignIn}
      </AuthShell>
    );
  }
  return (
    <AuthShell
      title="Reset your password"
      subtitle="Give your email address and we will send you a link to choose a new password."
    >
      <form onSubmit={submit} className="space-y-3">
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
        <FormError error={error} />
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? 'Sending…' : 'Send reset link'}
        </Button>
      </form>
      {backToSignIn}
    </AuthShell>
  );
}
