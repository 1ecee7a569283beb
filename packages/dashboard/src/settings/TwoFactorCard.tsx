import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { useAuth } from '../auth/AuthProvider';
import { Button, Card, Field, FormError, Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';
import { RecoveryCodes } from './RecoveryCodes';
import { TwoFactorSetup } from './TwoFactorSetup';

/** Six digits from the app; anything else is taken as a recovery code. */
const proofOf = (typed: string) =>
  /^\d{6}$/.test(typed.replace(/\s+/g, '')) ? { code: typed } : { recoveryCode: typed };

/**
 * Profile → Two-factor sign-in: turn it on (QR code, key, a code), see the recovery codes once,
 * make new ones or turn it off with a code.
 */
export function TwoFactorCard() {
  const { setUser } = useAuth();
  const status = useQuery({
    queryKey: keys.twoFactor,
    queryFn: ({ signal }) => call('getTwoFactor', { signal }),
  });
  const [codes, setCodes] = useState<string[] | null>(null);

  const renew = useSave({
    save: (form: HTMLFormElement) =>
      call('renewRecoveryCodes', { body: { code: String(new FormData(form).get('code')) } }),
    onSaved: (reply, form) => {
      setCodes(reply.recoveryCodes);
      form.reset();
    },
    errorIn: 'form',
    invalidates: [keys.twoFactor],
    done: 'New recovery codes made: the old ones no longer work',
  });
  const turnOff = useSave({
    save: (form: HTMLFormElement) =>
      call('disableTwoFactor', { body: proofOf(String(new FormData(form).get('proof'))) }),
    onSaved: (reply) => setUser(reply.user),
    errorIn: 'form',
    invalidates: [keys.twoFactor],
    done: 'Two-factor sign-in is off',
  });

  const body = () => {
    if (codes) return <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />;
    if (!status.data) return <Spinner label="Loading two-factor sign-in" />;
    const { enabled, enabledAt, recoveryCodesLeft, required } = status.data;
    if (!enabled) {
      return (
        <div className="space-y-3">
          <p className="text-sm text-slate-700">
            Off. With it on, signing in asks for your password and a code from an app on your phone,
            so a stolen password alone does not get in.
          </p>
          <TwoFactorSetup
            onEnabled={(reply) => {
              setCodes(reply.recoveryCodes);
              setUser(reply.user);
              void status.refetch();
            }}
          />
        </div>
      );
    }
    return (
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          On{enabledAt ? ` since ${formatDateTime(enabledAt)}` : ''}. {recoveryCodesLeft} of 10
          recovery codes left.
        </p>
        <form onSubmit={submitted(renew.run)} className="space-y-2">
          <Field
            label="Code from your app, for new recovery codes"
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={7}
            required
          />
          <FormError error={renew.error} />
          <Button type="submit" variant="secondary" disabled={renew.busy}>
            Make new recovery codes
          </Button>
        </form>
        {required ? (
          <p className="text-sm text-slate-600">Your admin requires it: it cannot be turned off.</p>
        ) : (
          <form onSubmit={submitted(turnOff.run)} className="space-y-2">
            <Field
              label="Code from your app or a recovery code, to turn it off"
              name="proof"
              autoComplete="one-time-code"
              maxLength={40}
              required
            />
            <FormError error={turnOff.error} />
            <Button type="submit" variant="danger" disabled={turnOff.busy}>
              Turn off
            </Button>
          </form>
        )}
      </div>
    );
  };
  return <Card title="Two-factor sign-in">{body()}</Card>;
}
