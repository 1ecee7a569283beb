import type { WebhookEndpoint, WebhookEventType } from '@parley/protocol';
import { webhookEventTypes } from '@parley/protocol/limits';
import { useState } from 'react';
import { call } from '../api/client';
import { submitted, useSave } from '../api/save';
import { Field } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { Option, OptionList } from '../ui/OptionList';

/** What each event means to the admin choosing them. */
export const webhookEventLabels: Record<WebhookEventType, string> = {
  'conversation.created': 'A chat starts',
  'conversation.assigned': 'A chat is assigned or transferred',
  'conversation.closed': 'A chat is closed',
  'message.created': 'A message is sent (notes and system lines too)',
  'rating.given': 'A visitor rates a chat',
  'visitor.updated': "A visitor's details, page or presence change",
  'contact.erased': "A person's data is erased",
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
  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents(webhookEventTypes.filter((t) => (t === type ? on : events.includes(t))));

  const save = useSave({
    save: (form: HTMLFormElement): Promise<{ endpoint: WebhookEndpoint; secret?: string }> => {
      const data = new FormData(form);
      const body = {
        url: String(data.get('url')).trim(),
        description: String(data.get('description')),
        events,
      };
      if (endpoint) {
        return call('updateWebhookEndpoint', { params: { id: endpoint.id }, body });
      }
      return call('createWebhookEndpoint', { body });
    },
    onSaved: (reply) => onSaved(reply.endpoint, reply.secret),
    // A new endpoint's secret is shown instead, in a notice that stays.
    done: (reply) => (reply.secret ? null : 'Endpoint saved'),
    errorIn: 'form',
  });

  return (
    <form onSubmit={submitted(save.run)} className="max-w-xl space-y-4">
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
      <OptionList legend="Events to send">
        {webhookEventTypes.map((type) => (
          <Option
            key={type}
            checked={events.includes(type)}
            onChange={(e) => toggle(type, e.target.checked)}
            label={webhookEventLabels[type]}
            description={type}
            descriptionClassName="font-mono text-xs text-slate-600"
          />
        ))}
      </OptionList>
      <FormActions
        submit={endpoint ? 'Save' : 'Add endpoint'}
        busy={save.busy}
        disabled={events.length === 0}
        error={save.error}
        onCancel={onCancel}
      />
    </form>
  );
}
