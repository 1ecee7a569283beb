import type { CreateApiTokenBody, CreateApiTokenReply, TokenScope } from '@parley/protocol';
import { useState } from 'react';
import { call } from '../api/client';
import { submitted, useSave } from '../api/save';
import { useMe } from '../auth/AuthProvider';
import { Field, SelectField } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { Option, OptionList } from '../ui/OptionList';
import { scopeAreas, scopeLabels } from './api-tokens';

const scopes: readonly TokenScope[] = ['full', 'read'];
/** What the form's "Access" offers: all of the API as a scope says, or chosen areas. */
type Access = TokenScope | 'areas';

/** The chosen areas' scopes: each area's select says none, `read` or `write`. */
function scopesOf(data: FormData): string[] {
  return scopeAreas.flatMap(({ name }) => {
    const access = data.get(`area-${name}`);
    return access === 'read' || access === 'write' ? [`${name}:${access}`] : [];
  });
}
/** How long a new token works: days (0, until revoked). */
const expiries: ReadonlyArray<readonly [number, string]> = [
  [7, 'In 7 days'],
  [30, 'In 30 days'],
  [90, 'In 90 days'],
  [365, 'In a year'],
  [0, 'Never (until revoked)'],
];

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
  const [access, setAccess] = useState<Access>('full');
  const create = useSave({
    save: (form: HTMLFormElement) => {
      const data = new FormData(form);
      const body: CreateApiTokenBody = {
        name: String(data.get('name')).trim(),
        ...(access === 'areas'
          ? { scopes: scopesOf(data) }
          : { scope: scopes.find((s) => s === access) ?? 'read' }),
        ...(actsAs === 'bot' ? { bot: { name: String(data.get('botName')).trim() } } : {}),
        ...(Number(data.get('expiresInDays')) > 0
          ? { expiresInDays: Number(data.get('expiresInDays')) }
          : {}),
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
            checked={access === scope}
            onChange={() => setAccess(scope)}
            label={`${scopeLabels[scope].label}, all of the API`}
            description={scopeLabels[scope].description}
          />
        ))}
        <Option
          type="radio"
          name="scope"
          value="areas"
          checked={access === 'areas'}
          onChange={() => setAccess('areas')}
          label="Chosen areas"
          description="Only the parts of the API you choose, each to read or to read and write. Anything else is refused."
        />
        {access === 'areas' ? <AreaChoices /> : null}
      </OptionList>
      <SelectField label="Expires" name="expiresInDays" defaultValue="90">
        {expiries.map(([days, label]) => (
          <option key={days} value={days}>
            {label}
          </option>
        ))}
      </SelectField>
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

/**
 * One select per area of the API (a tag of the reference), none by default. Writing includes
 * reading; showing a secret counts as writing.
 */
function AreaChoices() {
  return (
    <div className="grid gap-x-4 gap-y-2 pl-6 sm:grid-cols-2" data-testid="token-areas">
      {scopeAreas.map(({ tag, name, description }) => (
        <label
          key={name}
          className="flex items-center justify-between gap-2 text-sm"
          title={description}
        >
          <span className="min-w-0 text-slate-800">{tag}</span>
          <select
            name={`area-${name}`}
            defaultValue=""
            aria-label={`${tag}: access`}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
          >
            <option value="">None</option>
            <option value="read">Read</option>
            <option value="write">Read and write</option>
          </select>
        </label>
      ))}
    </div>
  );
}
