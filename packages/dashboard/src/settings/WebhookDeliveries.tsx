import type { WebhookDelivery, WebhookEndpoint } from '@parley/protocol';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { Button, Card, LoadMore, Spinner } from '../ui/controls';
import { copyText, secretCopied } from '../ui/copy';
import { formatDateTime, formatTime } from '../ui/time';
import { WebhookDeliveryDetails } from './WebhookDeliveryDetails';

const statusStyle: Record<WebhookDelivery['status'], string> = {
  delivered: 'bg-green-50 text-green-800 ring-green-600/30',
  pending: 'bg-amber-50 text-amber-900 ring-amber-600/30',
  failed: 'bg-red-50 text-red-800 ring-red-600/30',
};

/** An endpoint's signing secret, its test event, and its delivery log (refreshed while open). */
export function WebhookDeliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const key = keys.webhookDeliveries(endpoint.id);
  const log = useInfiniteQuery({
    queryKey: key,
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      call('listWebhookDeliveries', {
        params: { id: endpoint.id },
        query: { cursor: pageParam, limit: 20 },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 3000,
  });

  const sendTest = useSave({
    save: () => call('sendTestWebhook', { params: { id: endpoint.id } }),
    done: 'Test event queued',
    invalidates: [key],
  });
  // 202: a new delivery; 200: one of this event is pending already, and stands.
  const resend = useSave({
    save: (delivery: WebhookDelivery) =>
      call('resendWebhookDelivery', { params: { id: endpoint.id, deliveryId: delivery.id } }),
    done: (_, delivery) => `${delivery.eventType} is being sent again`,
    invalidates: [key],
  });
  const retry = useSave({
    save: (delivery: WebhookDelivery) =>
      call('retryWebhookDelivery', { params: { id: endpoint.id, deliveryId: delivery.id } }),
    invalidates: [key],
  });

  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      title="Deliveries"
      actions={
        <Button variant="secondary" onClick={() => sendTest.run()}>
          Send test event
        </Button>
      }
    >
      <SigningSecret endpointId={endpoint.id} />
      {log.isPending ? <Spinner /> : null}
      {!log.isPending && items.length === 0 ? (
        <p className="text-sm text-slate-600">
          Nothing sent yet. Events appear here as they happen; send a test event to try it.
        </p>
      ) : null}
      <ul className="divide-y divide-slate-100" aria-label="Delivery log">
        {items.map((d) => (
          <DeliveryRow
            key={d.id}
            delivery={d}
            endpointId={endpoint.id}
            onRetry={() => retry.run(d)}
            // A turned-off endpoint is sent nothing: the server refuses a resend to it.
            onResend={endpoint.enabled ? () => resend.run(d) : null}
          />
        ))}
      </ul>
      <LoadMore list={log} />
    </Card>
  );
}

function DeliveryRow({
  delivery: d,
  endpointId,
  onRetry,
  onResend,
}: {
  delivery: WebhookDelivery;
  endpointId: string;
  onRetry: () => void;
  onResend: (() => void) | null;
}) {
  const [open, setOpen] = useState(false);
  const facts = [
    d.responseStatus !== null ? `HTTP ${d.responseStatus}` : d.attempts > 0 ? 'no answer' : null,
    d.latencyMs !== null ? `${d.latencyMs} ms` : null,
    `${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`,
    d.status === 'pending' && d.nextAttemptAt ? `next try ${formatTime(d.nextAttemptAt)}` : null,
  ].filter(Boolean);
  return (
    <li className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2 text-sm" data-testid="delivery">
      {/* On a phone the buttons go under what they act on, not beside it in a thin column. */}
      <div className="w-full min-w-0 sm:w-auto sm:flex-1">
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-slate-900">{d.eventType}</span>
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusStyle[d.status]}`}
          >
            {d.status}
          </span>
          {d.resendOf ? (
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
              resent
            </span>
          ) : null}
          <span className="text-xs text-slate-600">{formatDateTime(d.createdAt)}</span>
        </p>
        <p className="text-xs text-slate-600">{facts.join(' · ')}</p>
        {d.error ? <p className="break-words text-xs text-red-700">{d.error}</p> : null}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button variant="ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide details' : 'Details'}
        </Button>
        {d.status === 'failed' ? (
          <Button variant="secondary" onClick={onRetry}>
            Retry now
          </Button>
        ) : null}
        {d.status === 'delivered' && onResend ? (
          <Button variant="secondary" onClick={onResend}>
            Resend
          </Button>
        ) : null}
      </div>
      {open ? (
        <div className="w-full">
          <WebhookDeliveryDetails endpointId={endpointId} delivery={d} />
        </div>
      ) : null}
    </li>
  );
}

/** The secret receivers verify signatures with: hidden until asked for, and rotated at will. */
function SigningSecret({ endpointId }: { endpointId: string }) {
  const [secret, setSecret] = useState<string | null>(null);
  const reveal = useSave({
    save: () => call('getWebhookSecret', { params: { id: endpointId } }),
    onSaved: (reply) => setSecret(reply.secret),
  });
  const rotate = useSave({
    save: () => call('rotateWebhookSecret', { params: { id: endpointId } }),
    onSaved: (reply) => setSecret(reply.secret),
    done: 'New secret in use',
  });
  const confirmRotate = () => {
    if (window.confirm('Make a new secret? Requests are signed with it from now on.')) rotate.run();
  };
  return (
    <div className="mb-3 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <p className="mb-2 font-medium text-slate-700">Signing secret</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="w-full min-w-0 break-all font-mono text-xs text-slate-900 sm:w-auto sm:flex-1">
          {secret ?? 'whsec_••••••••••••••••'}
        </code>
        <Button variant="secondary" onClick={() => (secret ? setSecret(null) : reveal.run())}>
          {secret ? 'Hide' : 'Reveal'}
        </Button>
        {secret ? (
          <Button variant="secondary" onClick={() => void copyText(secret, secretCopied)}>
            Copy
          </Button>
        ) : null}
        <Button variant="danger" onClick={confirmRotate}>
          Rotate
        </Button>
      </div>
    </div>
  );
}
