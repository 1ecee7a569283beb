import type { SignedInDevice } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client';
import { useSave } from '../api/save';
import { useAuth } from '../auth/AuthProvider';
import { Button, Card, Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';

/** The devices list's query key: this agent's own sign-ins. */
const devicesKey = ['auth', 'sessions'] as const;

const where = (d: SignedInDevice) =>
  [d.browser ?? 'Unknown browser', d.os].filter(Boolean).join(' on ');

const address = (d: SignedInDevice) => {
  if (!d.ip) return 'address unknown';
  const where = d.place ?? (d.network === 'internet' ? null : d.network);
  return `${d.ip.replace(/^::ffff:/, '')}${where ? ` (${where})` : ''}`;
};

/**
 * Profile → Signed-in devices: every browser signed in to this account, and "Sign out" for any
 * of them (a lost phone, a shared computer). This one signs out as the menu's Sign out does.
 */
export function SignedInDevices() {
  const { logout } = useAuth();
  const devices = useQuery({
    queryKey: devicesKey,
    queryFn: ({ signal }) => call('listSessions', { signal }),
  });
  const end = useSave({
    save: (device: SignedInDevice) => call('endSession', { params: { id: device.id } }),
    onSaved: (_, device) => {
      if (device.current) void logout();
    },
    done: (_, device) => (device.current ? '' : `${where(device)} was signed out`),
    invalidates: [devicesKey],
  });
  const items = devices.data?.items ?? [];
  return (
    <Card title="Signed-in devices">
      <p className="mb-3 text-sm text-slate-600">
        Browsers signed in to your account. Signing one out ends it at once, everywhere: it needs
        your password again. Countries by{' '}
        <a className="underline" href="https://db-ip.com" target="_blank" rel="noreferrer">
          IP Geolocation by DB-IP
        </a>
        .
      </p>
      {devices.isPending ? (
        <Spinner label="Loading your devices" />
      ) : (
        <ul className="divide-y divide-slate-200" aria-label="Signed-in devices">
          {items.map((d) => (
            <li
              key={d.id}
              data-testid="signed-in-device"
              className="flex flex-wrap items-center justify-between gap-2 py-2"
            >
              <div className="min-w-0 text-sm">
                <p className="font-medium text-slate-900">
                  {where(d)}
                  {d.current ? (
                    <span className="ml-2 rounded bg-green-50 px-1.5 py-0.5 text-xs font-normal text-green-800 ring-1 ring-green-600/30">
                      This device
                    </span>
                  ) : null}
                </p>
                <p className="text-slate-600">
                  {address(d)} · last active {formatDateTime(d.lastSeenAt)} · signed in{' '}
                  {formatDateTime(d.signedInAt)}
                </p>
              </div>
              <Button
                variant={d.current ? 'secondary' : 'danger'}
                disabled={end.busy}
                onClick={() => end.run(d)}
                aria-label={d.current ? 'Sign out this device' : `Sign out ${where(d)}`}
              >
                Sign out
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
