import type { TwoFactorEnabledReply, TwoFactorSetupReply } from '@parley/protocol';
import { useState } from 'react';
import { call } from '../api/client';
import { submitted, useSave } from '../api/save';
import { Button, Field, FormError } from '../ui/controls';

/** The secret as apps show it when typed by hand: groups of four. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * Turning two-factor sign-in on: the server makes a secret (kept until a code confirms it), the
 * page shows its QR code and the secret as text, and the first code from the app turns it on.
 * Profile's card and the screen an admin's requirement leads to both use it.
 */
export function TwoFactorSetup({
  onEnabled,
}: {
  onEnabled: (reply: TwoFactorEnabledReply) => void;
}) {
  const [setup, setSetup] = useState<TwoFactorSetupReply | null>(null);
  const start = useSave({ save: () => call('startTwoFactorSetup'), onSaved: setSetup });
  const confirm = useSave({
    save: (form: HTMLFormElement) =>
      call('confirmTwoFactor', { body: { code: String(new FormData(form).get('code')) } }),
    onSaved: (reply) => onEnabled(reply),
    errorIn: 'form',
    done: 'Two-factor sign-in is on',
  });

  if (!setup) {
    return (
      <Button onClick={() => start.run()} disabled={start.busy}>
        {start.busy ? 'Starting…' : 'Set up two-factor sign-in'}
      </Button>
    );
  }
  return (
    <div className="space-y-4" data-testid="two-factor-setup">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-800">
        <li>Open an authenticator app on your phone (Google Authenticator, 1Password, Authy…).</li>
        <li>Scan this QR code, or type the key below.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <div className="flex flex-col items-start gap-4 sm:flex-row">
        {/* A server-made SVG, shown as an image: nothing in it runs. White in dark mode too,
            as scanners need. */}
        <img
          src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.qrSvg)}`}
          alt="QR code to scan with your authenticator app"
          className="h-44 w-44 shrink-0 rounded-md border border-slate-200 bg-[#fff]"
        />
        <div className="min-w-0 space-y-1 text-sm">
          <p className="font-medium text-slate-700">Key to type instead</p>
          <p
            className="break-all rounded-md bg-slate-50 p-2 font-mono text-slate-900"
            data-testid="two-factor-secret"
          >
            {grouped(setup.secret)}
          </p>
          <p className="text-xs text-slate-600">Time-based, 6 digits, every 30 seconds.</p>
        </div>
      </div>
      <form onSubmit={submitted(confirm.run)} className="space-y-3 sm:max-w-xs">
        <Field
          label="Code from the app"
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          required
        />
        <FormError error={confirm.error} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={confirm.busy}>
            {confirm.busy ? 'Checking…' : 'Turn on'}
          </Button>
          {/* The secret waits unused on the server until a new set-up replaces it. */}
          <Button variant="ghost" onClick={() => setSetup(null)}>
            Cancel
          </Button>
        </div>
      </form>
    </div>
  );
}
