import type { VisitorBan } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { Button, Card, Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';

/**
 * Settings → Bans: the bans in force, newest first, each with who made it, why and until when,
 * and "Lift". Any agent may lift a ban, as any agent may make one: a ban made by mistake (or no
 * longer needed) is undone by whoever is on shift, and the next ban is one click away.
 */
export function BansSettings() {
  const bans = useQuery({ queryKey: keys.bans, queryFn: () => call('listBans') });
  const lift = useSave({
    save: (ban: VisitorBan) => call('liftBan', { params: { id: ban.id } }),
    done: 'Ban lifted',
    invalidates: [keys.bans],
  });
  const items = bans.data?.bans ?? [];
  return (
    <Card title="Bans">
      <p className="mb-3 text-sm text-slate-600">
        A banned visitor&apos;s chat says they can&apos;t send messages, and nothing they send is
        kept. Ban someone from their details in a conversation (“Ban visitor…”).
      </p>
      {!bans.data ? <Spinner /> : null}
      {bans.data && items.length === 0 ? (
        <p className="text-sm text-slate-600">Nobody is banned.</p>
      ) : null}
      <ul className="divide-y divide-slate-100" aria-label="Bans in force">
        {items.map((ban) => (
          <li key={ban.id} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2 text-sm">
            <div className="min-w-0 flex-1 space-y-0.5">
              <p className="font-medium break-words text-slate-900">{whom(ban)}</p>
              {ban.reason ? <p className="break-words text-slate-700">“{ban.reason}”</p> : null}
              <p className="text-xs text-slate-600">
                {ban.createdBy ? `By ${ban.createdBy.name}, ` : ''}
                {formatDateTime(ban.createdAt)} ·{' '}
                {ban.expiresAt ? `until ${formatDateTime(ban.expiresAt)}` : 'until lifted'}
              </p>
            </div>
            <Button
              variant="secondary"
              onClick={() => lift.run(ban)}
              disabled={lift.busy}
              aria-label={`Lift the ban of ${whomText(ban)}`}
            >
              Lift
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function whom(ban: VisitorBan) {
  const visitor = ban.visitorId ? (
    <Link to={`/contacts/${ban.visitorId}`} className="text-blue-700 hover:underline">
      Visitor {ban.visitorId.slice(0, 8)}
    </Link>
  ) : null;
  if (visitor && ban.address)
    return (
      <>
        {visitor} and address {ban.address}
      </>
    );
  return visitor ?? `Address ${ban.address ?? ''}`;
}

function whomText(ban: VisitorBan) {
  const visitor = ban.visitorId ? `visitor ${ban.visitorId.slice(0, 8)}` : '';
  return [visitor, ban.address ? `address ${ban.address}` : ''].filter(Boolean).join(' and ');
}
