import { SsoSettings } from './SsoSettings';
import { TwoFactorPolicy } from './TwoFactorPolicy';

/** Settings → Sign-in (admins): whether two-factor is required, and single sign-on. */
export function SignInSettings() {
  return (
    <div className="space-y-6">
      <TwoFactorPolicy />
      <SsoSettings />
    </div>
  );
}
