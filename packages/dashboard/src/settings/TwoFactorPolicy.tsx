import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { useMe } from '../auth/AuthProvider';
import { Card, Spinner } from '../ui/controls';

/**
 * Settings → Sign-in → Two-factor sign-in: whether every person must sign in with a code. Those
 * without it can then only set it up; API tokens are not sign-ins and go on as before.
 */
export function TwoFactorPolicy() {
  const me = useMe();
  const policy = useQuery({
    queryKey: keys.twoFactorPolicy,
    queryFn: ({ signal }) => call('getTwoFactorPolicy', { signal }),
  });
  // Shown as ticked at once; put back if the server refuses (an admin without it themselves).
  const [shown, setShown] = useState<boolean | null>(null);
  const save = useSave({
    save: (required: boolean) => call('updateTwoFactorPolicy', { body: { required } }),
    onFailed: () => setShown(null),
    invalidates: [keys.twoFactorPolicy],
    done: (reply) =>
      reply.required ? 'Two-factor sign-in is required' : 'Two-factor sign-in is optional',
  });
  return (
    <Card title="Two-factor sign-in">
      {policy.data ? (
        <div className="space-y-2">
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              className="mt-0.5"
              checked={shown ?? policy.data.required}
              disabled={save.busy}
              onChange={(e) => {
                setShown(e.target.checked);
                save.run(e.target.checked);
              }}
            />
            Require two-factor sign-in for everyone
          </label>
          <p className="text-sm text-slate-600">
            Everyone then needs a code from an authenticator app too, after their password or single
            sign-on. Someone who has not set it up can do nothing but set it up (and sign out) until
            they do. API tokens of integrations and bots are not sign-ins and are not affected.
          </p>
          {!me.twoFactor ? (
            <p className="text-sm text-slate-600">Turn it on for yourself first, under Profile.</p>
          ) : null}
        </div>
      ) : (
        <Spinner label="Loading the two-factor policy" />
      )}
    </Card>
  );
}
