import type { WebhookEndpoint } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { Button, Card, Notice, Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';
import { WebhookDeliveries } from './WebhookDeliveries';
import { webhookEventLabels, WebhookEndpointForm } from './WebhookEndpointForm';

/**
 * Settings → Webhooks: the endpoints Parley sends events to, each with its events and state, a
 * form to add or edit one, and the delivery log of the one opened (docs/webhooks.md).
 */
export function WebhooksSettings() {
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: keys.webhooks,
    queryFn: () => call('listWebhookEndpoints'),
    refetchInterval: 10_000,
  });
  const [editing, setEditing] = useState<WebhookEndpoint | 'new' | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [added, setAdded] = useState<{ url: string; secret: string } | null>(null);

  const turn = useSave({
    save: ({ endpoint, enabled }: { endpoint: WebhookEndpoint; enabled: boolean }) =>
      call('updateWebhookEndpoint', { params: { id: endpoint.id }, body: { enabled } }),
    invalidates: [keys.webhooks],
  });
  const remove = useSave({
    save: (endpoint: WebhookEndpoint) =>
      call('deleteWebhookEndpoint', { params: { id: endpoint.id } }),
    onSaved: (_, endpoint) => {
      if (openId === endpoint.id) setOpenId(null);
    },
    invalidates: [keys.webhooks],
  });
  const confirmRemove = (endpoint: WebhookEndpoint) => {
    if (window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) {
      remove.run(endpoint);
    }
  };
  const saved = (endpoint: WebhookEndpoint, secret?: string) => {
    setEditing(null);
    setOpenId(endpoint.id);
    if (secret) setAdded({ url: endpoint.url, secret });
    void qc.invalidateQueries({ queryKey: keys.webhooks });
  };

  if (!list.data) return <Spinner />;
  const endpoints = list.data.items;
  const open = endpoints.find((e) => e.id === openId);
  return (
    <div className="space-y-4">
      <Card
        title="Webhooks"
        actions={
          editing === 'new' ? null : <Button onClick={() => setEditing('new')}>Add endpoint</Button>
        }
      >
        <p className="mb-3 text-sm text-slate-600">
          Parley sends what happens in chats to your own systems as signed HTTP POSTs of JSON, and
          retries until they answer 2xx. See docs/webhooks.md for the events and how to verify the
          signature.
        </p>
        {added ? (
          <div className="mb-3 space-y-2">
            <Notice>
              Added {added.url}. Give its receiver this signing secret (also under “Signing secret”
              below): <code className="break-all font-mono">{added.secret}</code>
            </Notice>
            <Button variant="ghost" onClick={() => setAdded(null)}>
              Done
            </Button>
          </div>
        ) : null}
        {endpoints.length === 0 ? (
          <p className="text-sm text-slate-600">No endpoints yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {endpoints.map((e) => (
              <EndpointRow
                key={e.id}
                endpoint={e}
                open={e.id === openId}
                onOpen={() => setOpenId(e.id === openId ? null : e.id)}
                onEdit={() => setEditing(e)}
                onSwitch={() => turn.run({ endpoint: e, enabled: !e.enabled })}
                onDelete={() => confirmRemove(e)}
              />
            ))}
          </ul>
        )}
      </Card>
      {editing ? (
        <Card title={editing === 'new' ? 'New endpoint' : 'Edit endpoint'}>
          <WebhookEndpointForm
            key={editing === 'new' ? 'new' : editing.id}
            endpoint={editing === 'new' ? null : editing}
            privateAddressesAllowed={list.data.privateAddressesAllowed}
            onSaved={saved}
            onCancel={() => setEditing(null)}
          />
        </Card>
      ) : null}
      {open ? <WebhookDeliveries key={open.id} endpoint={open} /> : null}
    </div>
  );
}

function EndpointRow({
  endpoint: e,
  open,
  onOpen,
  onEdit,
  onSwitch,
  onDelete,
}: {
  endpoint: WebhookEndpoint;
  open: boolean;
  onOpen: () => void;
  onEdit: () => void;
  onSwitch: () => void;
  onDelete: () => void;
}) {
  return (
    <li className="space-y-2 py-3" data-testid="webhook-endpoint">
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1 basis-64">
          <p className="break-all font-mono text-sm text-slate-900">{e.url}</p>
          {e.description ? <p className="text-sm text-slate-600">{e.description}</p> : null}
          <p className="mt-1 text-xs text-slate-600">
            {e.events.map((t) => webhookEventLabels[t]).join(' · ')}
          </p>
        </div>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
            e.enabled
              ? 'bg-green-50 text-green-800 ring-green-600/30'
              : 'bg-slate-100 text-slate-700 ring-slate-500/30'
          }`}
        >
          {e.enabled ? 'On' : 'Off'}
        </span>
      </div>
      {e.disabledReason ? (
        <p role="status" className="rounded-md bg-red-50 p-2 text-sm text-red-800">
          {e.disabledReason}
        </p>
      ) : e.enabled && e.failingSince ? (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900">
          Failing since {formatDateTime(e.failingSince)}: retrying. After a day of failures Parley
          turns it off.
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button variant={open ? 'primary' : 'secondary'} onClick={onOpen} aria-expanded={open}>
          {open ? 'Hide deliveries' : 'Deliveries'}
        </Button>
        <Button variant="secondary" onClick={onEdit}>
          Edit
        </Button>
        <Button variant="secondary" onClick={onSwitch}>
          {e.enabled ? 'Turn off' : 'Turn on'}
        </Button>
        <Button variant="ghost" onClick={onDelete} aria-label={`Delete ${e.url}`}>
          <Trash2 aria-hidden className="h-4 w-4" />
        </Button>
      </div>
    </li>
  );
}
