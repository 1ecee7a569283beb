import type { AuthReply, UserReply } from '@parley/protocol';
import { useId, useState, type FormEvent } from 'react';
import toast from 'react-hot-toast';
import { api } from '../api/client';
import { setSession } from '../api/session';
import { useEmailOn } from '../api/hooks';
import { useAuth, useMe } from '../auth/AuthProvider';
import { Button, Card, Field } from '../ui/controls';
import { toastError } from '../ui/errors';

export function ProfileSettings() {
  const me = useMe();
  const { setUser } = useAuth();
  const emailOn = useEmailOn();
  const [name, setName] = useState(me.name);
  // Shown as ticked at once; put back if the server refuses.
  const [emailAlerts, setEmailAlerts] = useState(me.emailAlerts);
  const [savingAlerts, setSavingAlerts] = useState(false);
  const alertsOffId = useId();

  const saveName = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setUser((await api<UserReply>('/api/auth/me', { method: 'PATCH', body: { name } })).user);
      toast.success('Profile saved');
    } catch (err) {
      toastError(err);
    }
  };

  // Saved as it is ticked, like the other on/off preferences: there is nothing else to fill in.
  const saveEmailAlerts = async (on: boolean) => {
    setEmailAlerts(on);
    setSavingAlerts(true);
    try {
      const body = { emailAlerts: on };
      setUser((await api<UserReply>('/api/auth/me', { method: 'PATCH', body })).user);
      toast.success(on ? 'Email alerts on' : 'Email alerts off');
    } catch (err) {
      setEmailAlerts(!on);
      toastError(err);
    } finally {
      setSavingAlerts(false);
    }
  };

  const changePassword = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    if (data.get('newPassword') !== data.get('confirm')) {
      toast.error('The new passwords differ');
      return;
    }
    try {
      const body = {
        currentPassword: String(data.get('currentPassword')),
        newPassword: String(data.get('newPassword')),
      };
      // Every other session ends; this tab continues with the fresh session the server returns.
      setSession(await api<AuthReply>('/api/auth/password', { method: 'POST', body }));
      form.reset();
      toast.success('Password changed. Other sessions were signed out.');
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div className="grid max-w-3xl gap-4 md:grid-cols-2">
      <Card title="Profile">
        <form onSubmit={saveName} className="space-y-3">
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
        <form onSubmit={changePassword} className="space-y-3">
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
          />
          <Field
            label="Repeat new password"
            name="confirm"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
          />
          <Button type="submit">Change password</Button>
        </form>
      </Card>
      <Card title="Email alerts">
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            className="mt-0.5"
            checked={emailAlerts}
            disabled={emailOn !== true || savingAlerts}
            onChange={(e) => void saveEmailAlerts(e.target.checked)}
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
    </div>
  );
}
