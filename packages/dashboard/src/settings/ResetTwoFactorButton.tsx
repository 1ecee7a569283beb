import type { User } from '@parley/protocol';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { Button } from '../ui/controls';

/**
 * Settings → Team, for admins: turns off a member's two-factor sign-in when they lost their
 * phone (recorded in the audit log). They sign in with their password, and set it up again.
 */
export function ResetTwoFactorButton({ user }: { user: User }) {
  const reset = useSave({
    save: () => call('resetUserTwoFactor', { params: { id: user.id } }),
    invalidates: [keys.users],
    done: `Two-factor sign-in is off for ${user.name}: they can set it up again`,
  });
  if (!user.twoFactor) return null;
  return (
    <Button
      variant="secondary"
      disabled={reset.busy}
      onClick={() => reset.run()}
      aria-label={`Turn off two-factor sign-in: ${user.name}`}
    >
      Turn off two-factor
    </Button>
  );
}
