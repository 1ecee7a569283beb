import type { CreateApiTokenBody, CreateApiTokenReply, TokenScope } from '@parley/protocol';
import { useState } from 'react';
import { call } from '../api/client';
import { submitted, useSave } from '../api/save';
import { useMe } from '../auth/AuthProvider';
import { Field } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { Option, OptionList } from '../ui/OptionList';
import { scopeLabels } from './api-tokens';

const scopes: readonly TokenScope[] = ['full', 'read'];

/**
 * Creates a token: its name, what it may do, and whom it acts as, a new bot of its own (whose
 * messages are marked as a bot's) or the admin creating it. A refusal shows the server's reason
 * under the form.
 */
export function ApiTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (reply: CreateApiTokenReply) => void;
  onCancel: () => void;
}) {
  const me = useMe();
  const [actsAs, setActsAs] = useState<'bot' | 'me'>('bot');
  const create = useSave({
    save: (form: HTMLFormElement) => {
      const data = new FormData(form);
      const body: CreateApiTokenBody = {
        name: String(data.get('name')).trim(),
        scope: scopes.find((s) => s === data.get('scope')) ?? 'read',
        ...(actsAs === 'bot' ? { bot: { name: String(data.get('botName')).trim() } } : {}),
      };
      return call('createApiToken', { body });
    },
    onSaved: onCreated,
    errorIn: 'form',
  });

  return (
    <form onSubmit={submitted(create.run)} className="max-w-xl space-y-4">
      <Field
        label="Token name"
        name="name"
        required
        maxLength={80}
        placeholder="Helpdesk integration"
        hint="To tell tokens apart; only admins see it."
      />
      <OptionList legend="Access">
        {scopes.map((scope) => (
          <Option
            key={scope}
            type="radio"
            name="scope"
            value={scope}
            defaultChecked={scope === 'full'}
            label={scopeLabels[scope].label}
            description={scopeLabels[scope].description}
          />
        ))}
      </OptionList>
      <OptionList legend="Acts as">
        <Option
          type="radio"
          name="actsAs"
          checked={actsAs === 'bot'}
          onChange={() => setActsAs('bot')}
          label="A new bot"
          description="A member of the team of its own. Visitors and agents see its messages marked as a bot's, and routing never gives it chats."
        />
        {actsAs === 'bot' ? (
          <div className="pl-6">
            <Field
              label="Bot's name"
              name="botName"
              required
              maxLength={100}
              placeholder="Parley Assistant"
              hint="Shown to visitors beside its messages."
            />
          </div>
        ) : null}
        <Option
          type="radio"
          name="actsAs"
          checked={actsAs === 'me'}
          onChange={() => setActsAs('me')}
          label={`Me (${me.name})`}
          description="What it does is done in your name, with an admin's rights."
        />
      </OptionList>
      <FormActions
        submit="Create token"
        busy={create.busy}
        busyLabel="Creating…"
        error={create.error}
        onCancel={onCancel}
      />
    </form>
  );
}
