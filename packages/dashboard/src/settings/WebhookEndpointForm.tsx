import {
  webhookEventTypes,
  type WebhookEndpoint,
  type WebhookEndpointCreatedReply,
  type WebhookEndpointReply,
  type WebhookEventType,
} from '@parley/protocol';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { Button, Field, FormError } from '../ui/controls';
import { messageOf } from '../ui/errors';

/** What each event means to the admin choosing them. */
export const webhookEventLabels: Record<WebhookEventType, string> = {
  'conversation.created': 'A chat starts',
  'conversation.assigned': 'A chat is assigned or transferred',
  'conversation.closed': 'A chat is closed',
  'message.created': 'A message is sent (notes and system lines too)',
  'rating.given': 'A visitor rates a chat',
  'visitor.updated': "A visitor's details, page or presence change",
};

/**
 * Adds an endpoint, or edits one: its URL, a note of what it is, and the events it wants. A URL
 * the server refuses (a private address, say) shows the server's reason under the form; the hint
 * says beforehand which addresses this server accepts (WEBHOOKS_ALLOW_PRIVATE).
 */
export function WebhookEndpointForm({
  endpoint,
  privateAddressesAllowed,
  onSaved,
  onCancel,
}: {
  endpoint: WebhookEndpoint | null;
  privateAddressesAllowed: boolean;
  onSaved: (saved: WebhookEndpoint, secret?: string) => void;
  onCancel: () => void;
}) {
  const [events, setEvents] = useState<WebhookEventType[]>(
    endpoint?.events ?? ['conversation.created', 'message.created'],
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents(webhookEventTypes.filter((t) => (t === type ? on : events.includes(t))));

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body = {
      url: String(data.get('url')).trim(),
      description: String(data.get('description')),
      events,
    };
    setSaving(true);
    setError(null);
    try {
      if (endpoint) {
        const reply = await api<WebhookEndpointReply>(`/api/webhooks/${endpoint.id}`, {
          method: 'PATCH',
          body,
        });
        onSaved(reply.endpoint);
      } else {
        const reply = await api<WebhookEndpointCreatedReply>('/api/webhooks', {
          method: 'POST',
          body,
        });
        onSaved(reply.endpoint, reply.secret);
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={save} className="max-w-xl space-y-4">
      <Field
        label="Endpoint URL"
        name="url"
        type="url"
        required
        maxLength={2000}
        defaultValue={endpoint?.url}
        placeholder="https://example.com/parley-hooks"
        hint={
          privateAddressesAllowed
            ? 'Parley POSTs signed JSON here. Any http(s) address: this server also sends to private and local ones.'
            : 'Parley POSTs signed JSON here. Public http(s) addresses only.'
        }
      />
      <Field
        label="Description"
        name="description"
        maxLength={200}
        defaultValue={endpoint?.description}
        placeholder="CRM sync"
      />
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">Events to send</legend>
        {webhookEventTypes.map((type) => (
          <label key={type} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(e) => toggle(type, e.target.checked)}
              className="mt-0.5 h-4 w-4 shrink-0 accent-blue-600"
            />
            <span>
              <span className="font-medium text-slate-900">{webhookEventLabels[type]}</span>
              <span className="block font-mono text-xs text-slate-600">{type}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <FormError error={error} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={saving || events.length === 0}>
          {saving ? 'Saving…' : endpoint ? 'Save' : 'Add endpoint'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
