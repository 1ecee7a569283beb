import { useId, useState } from 'react';
import { call } from '../api/client';
import { useEmailOn } from '../api/hooks';
import { submitted, useSave } from '../api/save';
import { setSession } from '../api/session';
import { useAuth, useMe } from '../auth/AuthProvider';
import { NewPasswordFields, newPasswordOf } from '../auth/NewPasswordFields';
import { Button, Card, Field } from '../ui/controls';
import { NotificationSettings } from './NotificationSettings';
import { SignedInDevices } from './SignedInDevices';
import { TwoFactorCard } from './TwoFactorCard';

export function ProfileSettings() {
  const me = useMe();
  const { setUser } = useAuth();
  const emailOn = useEmailOn();
  const [name, setName] = useState(me.name);
  // Shown as ticked at once; put back if the server refuses.
  const [emailAlerts, setEmailAlerts] = useState(me.emailAlerts);
  const alertsOffId = useId();

  const saveName = useSave({
    save: () => call('updateMe', { body: { name } }),
    onSaved: (reply) => setUser(reply.user),
    done: 'Profile saved',
  });

  // Saved as it is ticked, like the other on/off preferences: there is nothing else to fill in.
  const saveEmailAlerts = useSave({
    save: (on: boolean) => call('updateMe', { body: { emailAlerts: on } }),
    onSaved: (reply) => setUser(reply.user),
    onFailed: (on) => setEmailAlerts(!on),
    done: (_, on) => (on ? 'Email alerts on' : 'Email alerts off'),
  });

  const changePassword = useSave({
    save: (form: HTMLFormElement) => {
      const data = new FormData(form);
      const body = {
        currentPassword: String(data.get('currentPassword')),
        newPassword: newPasswordOf(data),
      };
      return call('changePassword', { body });
    },
    // Every other session ends; this tab continues with the fresh session the server returns.
    onSaved: (reply, form) => {
      setSession(reply);
      form.reset();
    },
    done: 'Password changed. Other sessions were signed out.',
  });

  return (
    <div className="grid max-w-3xl gap-4 md:grid-cols-2">
      <Card title="Profile">
        <form onSubmit={submitted(() => saveName.run())} className="space-y-3">
          <Field
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
          />
          <Field label="Email" value={me.email} disabled readOnly />
          <p className="text-sm text-slate-600">Role: {me.role}</p>
          <Button type="submit">Save profile</Button>
        </form>
      </Card>
      <Card title="Password">
        <form onSubmit={submitted(changePassword.run)} className="space-y-3">
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
          <NewPasswordFields />
          <Button type="submit">Change password</Button>
        </form>
      </Card>
      <Card title="Email alerts">
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            className="mt-0.5"
            checked={emailAlerts}
            disabled={emailOn !== true || saveEmailAlerts.busy}
            onChange={(e) => {
              setEmailAlerts(e.target.checked);
              saveEmailAlerts.run(e.target.checked);
            }}
            aria-describedby={emailOn === false ? alertsOffId : undefined}
          />
          Email me when a chat waits with nobody to answer it
        </label>
        {emailOn === false ? (
          <p id={alertsOffId} className="mt-2 text-sm text-slate-600">
            Email is off on this server, so Parley sends no alerts
            {me.role === 'admin' ? ' (Settings → Email says how to turn it on).' : '.'}
          </p>
        ) : null}
      </Card>
      <div className="md:col-span-2">
        <NotificationSettings />
      </div>
      <div className="md:col-span-2">
        <TwoFactorCard />
      </div>
      <div className="md:col-span-2">
        <SignedInDevices />
      </div>
    </div>
  );
}
