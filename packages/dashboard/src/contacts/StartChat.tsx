import type { Contact } from '@parley/protocol';
import { MAX_MESSAGE_LENGTH } from '@parley/protocol/limits';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { call } from '../api/client';
import { useEmailOn } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { newClientId } from '../conversations/outbox';
import { visitorLabel } from '../conversations/visitor-label';
import { Button, Card, inputClass } from '../ui/controls';
import { howItReaches } from './reach';

/**
 * The agent's first message to a contact, and where it will reach them, said before it is
 * sent. Once sent, the conversation opens (as from the Visitors page).
 */
export function StartChat({ contact, openChat }: { contact: Contact; openChat: boolean }) {
  const navigate = useNavigate();
  const emailOn = useEmailOn();
  const [content, setContent] = useState('');
  // One id per message written: a retry after a failure is the same message, not a second.
  const [clientId] = useState(newClientId);
  const label = visitorLabel(contact);
  const start = useSave({
    save: (first: string) =>
      call('startChatWithVisitor', {
        params: { id: contact.id },
        body: { clientId, content: first },
      }),
    invalidates: [keys.conversationLists, keys.contact(contact.id), keys.contactLists],
    onSaved: (reply) => void navigate(`/conversations/${reply.conversation.id}`),
  });
  const busy = start.busy || start.saved;
  return (
    <Card title="Start a chat">
      <form
        onSubmit={submitted(() => {
          if (content.trim()) start.run(content.trim());
        })}
        className="space-y-2"
      >
        <label htmlFor="contact-first-message" className="block text-sm font-medium text-slate-700">
          Message to {label}
        </label>
        <textarea
          id="contact-first-message"
          aria-describedby="contact-reach"
          className={`${inputClass} min-h-20`}
          value={content}
          maxLength={MAX_MESSAGE_LENGTH}
          onChange={(e) => setContent(e.target.value)}
        />
        <p id="contact-reach" className="text-sm text-slate-600" data-testid="contact-reach">
          {howItReaches(contact, { emailOn, openChat })}
        </p>
        <Button type="submit" disabled={busy || !content.trim()}>
          {busy ? 'Sending…' : 'Send'}
        </Button>
      </form>
    </Card>
  );
}
