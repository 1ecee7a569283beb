import type { WebhookDelivery, WebhookDeliveryAttempt } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { Spinner } from '../ui/controls';

/** Attempts come seconds apart: their times show the seconds. */
const attemptTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/**
 * One delivery of the log, opened: each attempt (when, how it went, how long it took, what the
 * receiver answered as far as Parley keeps it), the event's id, and the body it sends.
 */
export function WebhookDeliveryDetails({
  endpointId,
  delivery,
}: {
  endpointId: string;
  delivery: WebhookDelivery;
}) {
  const detail = useQuery({
    // Under the log's key: refreshing the log refreshes it too.
    queryKey: keys.webhookDelivery(endpointId, delivery),
    queryFn: ({ signal }) =>
      call('getWebhookDelivery', { params: { id: endpointId, deliveryId: delivery.id }, signal }),
    refetchInterval: delivery.status === 'pending' ? 3000 : false,
  });
  if (!detail.data) return <Spinner label="Loading the delivery" />;
  const { attempts, body } = detail.data;
  const firstKept = attempts[0]?.n ?? delivery.attempts + 1;
  return (
    <div className="mt-2 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3 text-xs">
      <div>
        <p className="mb-1 font-medium text-slate-700">Event id</p>
        <code className="break-all font-mono text-slate-900">{delivery.eventId}</code>
        {delivery.resendOf ? (
          <p className="text-slate-600">
            Sent again by an admin: the same event id and body, so a receiver that handles each id
            once does not act on it twice.
          </p>
        ) : null}
      </div>
      <div>
        <p className="mb-1 font-medium text-slate-700">Attempts</p>
        {firstKept > 1 ? (
          <p className="text-slate-600">
            {firstKept === 2 ? 'Attempt 1 was' : `Attempts 1–${firstKept - 1} were`} not kept (made
            before Parley kept each attempt).
          </p>
        ) : null}
        {attempts.length === 0 && firstKept <= 1 ? (
          <p className="text-slate-600">Not tried yet.</p>
        ) : null}
        <ol className="space-y-2" aria-label="Attempts">
          {attempts.map((a) => (
            <AttemptRow key={a.n} attempt={a} />
          ))}
        </ol>
      </div>
      <div>
        <p className="mb-1 font-medium text-slate-700">Body</p>
        <pre
          tabIndex={0}
          aria-label="Event body"
          className="max-h-72 overflow-auto whitespace-pre-wrap break-all rounded border border-slate-200 bg-white p-2 font-mono text-slate-900"
        >
          {readable(body)}
        </pre>
      </div>
    </div>
  );
}

/** The body laid out to read; byte for byte, it is what the receiver got (and verified). */
function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function AttemptRow({ attempt: a }: { attempt: WebhookDeliveryAttempt }) {
  const ok = a.error === null;
  const facts = [a.at ? attemptTime.format(new Date(a.at)) : 'time not kept', `${a.latencyMs} ms`];
  return (
    <li data-testid="delivery-attempt">
      <p className="flex flex-wrap gap-x-2">
        <span className="font-medium text-slate-900">#{a.n}</span>
        <span className={ok ? 'text-green-800' : 'break-words text-red-700'}>
          {a.error ?? `HTTP ${a.responseStatus ?? '?'}`}
        </span>
        <span className="text-slate-600">{facts.join(' · ')}</span>
      </p>
      {a.answer ? (
        <p className="break-all text-slate-700">
          Answer: <span className="font-mono">{a.answer}</span>
        </p>
      ) : null}
    </li>
  );
}
