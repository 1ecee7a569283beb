import type {
  NotificationPreferences,
  NotificationPreferencesBody,
  NotificationPreferencesReply,
  PushDevice,
} from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { call } from '../api/client';
import { useEmailOn } from '../api/hooks';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { useMe } from '../auth/AuthProvider';
import {
  canGetPushes,
  permitted,
  subscribeThisBrowser,
  unsubscribeThisBrowser,
} from '../notifications/push';
import { Button, Card, FormError, Spinner } from '../ui/controls';
import { Option } from '../ui/OptionList';
import { formatDateTime } from '../ui/time';

/**
 * Profile → Notifications (issue 37): push notifications on this device and the agent's other
 * devices, and what they are told of. The browser asks for permission only when "Turn on" is
 * clicked, never as the page opens.
 */
export function NotificationSettings() {
  const devices = useQuery({
    queryKey: keys.pushDevices,
    queryFn: ({ signal }) => call('listPushDevices', { signal }),
  });
  const list = devices.data?.devices ?? [];
  return (
    <Card title="Notifications">
      <div className="grid gap-6 md:grid-cols-2">
        <div className="min-w-0 space-y-6">
          <ThisDevice device={list.find((d) => d.thisDevice)} loading={devices.isPending} />
          {devices.isPending ? null : <PushDevices devices={list} />}
        </div>
        <NotificationChoices />
      </div>
    </Card>
  );
}

const heading = 'mb-2 text-sm font-semibold text-slate-900';

/** Turns pushes off for one of the agent's devices; this one is unsubscribed in the browser too. */
function useTurnOff() {
  return useSave({
    save: async (device: PushDevice) => {
      await call('unsubscribePush', { params: { id: device.id } });
      if (device.thisDevice) await unsubscribeThisBrowser();
    },
    invalidates: [keys.pushDevices],
    done: (_, device) =>
      device.thisDevice
        ? 'Notifications are off on this device'
        : `${device.device} no longer gets notifications`,
  });
}

function ThisDevice({ device, loading }: { device: PushDevice | undefined; loading: boolean }) {
  const turnOn = useSave({
    // The question is asked in the click itself (Safari asks only then), and handed on.
    save: async (asked: Promise<NotificationPermission>) => {
      await permitted(asked);
      const { publicKey } = await call('getPushKey');
      return call('subscribePush', { body: await subscribeThisBrowser(publicKey) });
    },
    invalidates: [keys.pushDevices],
    done: 'Notifications are on for this device',
    errorIn: 'form',
  });
  const test = useSave({
    save: () => call('testPush'),
    done: ({ sent }) => `Sent to ${sent} ${sent === 1 ? 'device' : 'devices'}`,
  });
  const turnOff = useTurnOff();

  const body = () => {
    if (!canGetPushes()) {
      return (
        <p className="text-sm text-slate-700">
          This browser cannot get notifications from Parley. On an iPhone or iPad, add Parley to the
          Home Screen (Share, then Add to Home Screen) and open it from there.
        </p>
      );
    }
    if (loading) return <Spinner label="Loading your devices" />;
    const blocked = Notification.permission === 'denied';
    if (device) {
      return (
        <>
          <p className="text-sm text-slate-700">
            {blocked
              ? 'Notifications are on for this device, but this browser blocks them now.'
              : 'Notifications are on for this device, also while Parley is closed.'}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={test.busy} onClick={() => test.run()}>
              Send a test notification
            </Button>
            <Button variant="secondary" disabled={turnOff.busy} onClick={() => turnOff.run(device)}>
              Turn off on this device
            </Button>
          </div>
        </>
      );
    }
    if (blocked) {
      return (
        <p role="status" className="text-sm text-slate-700">
          Notifications are blocked for Parley in this browser. To allow them, open the site's
          settings (the icon at the left of the address bar), set Notifications to Allow, and reload
          this page.
        </p>
      );
    }
    return (
      <>
        <p className="text-sm text-slate-700">
          Be told of new chats and messages on this device, also while Parley is closed.
        </p>
        <div>
          <Button
            disabled={turnOn.busy}
            onClick={() => turnOn.run(Notification.requestPermission())}
          >
            {turnOn.busy ? 'Turning on…' : 'Turn on notifications on this device'}
          </Button>
        </div>
        <FormError error={turnOn.error} />
      </>
    );
  };
  return (
    <section>
      <h3 className={heading}>This device</h3>
      <div className="space-y-3">{body()}</div>
    </section>
  );
}

/** The agent's devices that get pushes: each may be removed (a lost phone, an old laptop). */
function PushDevices({ devices }: { devices: PushDevice[] }) {
  const remove = useTurnOff();
  return (
    <section>
      <h3 className={heading}>Devices with notifications</h3>
      {devices.length === 0 ? (
        <p className="text-sm text-slate-600">No device of yours gets notifications yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200" aria-label="Devices with notifications">
          {devices.map((d) => (
            <li
              key={d.id}
              data-testid="push-device"
              className="flex flex-wrap items-center justify-between gap-2 py-2"
            >
              <div className="min-w-0 text-sm">
                <p className="font-medium text-slate-900">
                  {d.device}
                  {d.thisDevice ? (
                    <span className="ml-2 rounded bg-green-50 px-1.5 py-0.5 text-xs font-normal text-green-800 ring-1 ring-green-600/30">
                      This device
                    </span>
                  ) : null}
                </p>
                <p className="text-slate-600">
                  Since {formatDateTime(d.createdAt)} ·{' '}
                  {d.lastPushedAt
                    ? `last notified ${formatDateTime(d.lastPushedAt)}`
                    : 'not notified yet'}
                </p>
              </div>
              <Button
                variant="danger"
                disabled={remove.busy}
                onClick={() => remove.run(d)}
                aria-label={d.thisDevice ? 'Remove this device' : `Remove ${d.device}`}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What is pushed, in the order of the list. */
const pushChoices = [
  ['queued', 'New chats waiting in my queues'],
  ['assigned', 'Chats assigned or transferred to me'],
  ['messages', "Visitors' messages in my chats while no Parley tab of mine is in view"],
  ['mentions', 'When a teammate mentions me in a note'],
] as const satisfies readonly (readonly [keyof NotificationPreferences, string])[];

/** What to be told of, saved as it is ticked like the other on/off preferences. */
function NotificationChoices() {
  const qc = useQueryClient();
  const me = useMe();
  const emailOn = useEmailOn();
  const emailOffId = useId();
  const preferences = useQuery({
    queryKey: keys.notificationPreferences,
    queryFn: ({ signal }) => call('getNotificationPreferences', { signal }),
  });
  const save = useSave({
    save: (body: NotificationPreferencesBody) => call('updateNotificationPreferences', { body }),
    onSaved: (reply) => qc.setQueryData(keys.notificationPreferences, reply),
    // Shown as ticked at once; the server's own answer is fetched if it refuses.
    onFailed: () => void qc.invalidateQueries({ queryKey: keys.notificationPreferences }),
    done: 'Notification settings saved',
  });
  const choose = (key: keyof NotificationPreferences, on: boolean) => {
    const body: NotificationPreferencesBody = {};
    body[key] = on;
    qc.setQueryData<NotificationPreferencesReply>(keys.notificationPreferences, (d) =>
      d ? { preferences: { ...d.preferences, ...body } } : d,
    );
    save.run(body);
  };

  const current = preferences.data?.preferences;
  if (!current) return <Spinner label="Loading your notification settings" />;
  return (
    <fieldset className="min-w-0 space-y-2">
      <legend className={heading}>What to be told of</legend>
      <p className="text-sm text-slate-600">On each of your devices with notifications:</p>
      {pushChoices.map(([key, label]) => (
        <Option
          key={key}
          label={label}
          checked={current[key]}
          disabled={save.busy}
          onChange={(e) => choose(key, e.target.checked)}
        />
      ))}
      <div className="pt-2">
        <Option
          label="Also email me when I'm mentioned"
          checked={current.mentionEmails}
          disabled={emailOn !== true || save.busy}
          onChange={(e) => choose('mentionEmails', e.target.checked)}
          aria-describedby={emailOn === false ? emailOffId : undefined}
        />
        {emailOn === false ? (
          <p id={emailOffId} className="mt-1 pl-6 text-sm text-slate-600">
            Email is off on this server, so Parley sends none
            {me.role === 'admin' ? ' (Settings → Email says how to turn it on).' : '.'}
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}
