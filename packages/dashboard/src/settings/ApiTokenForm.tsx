import type { CreateApiTokenBody, CreateApiTokenReply, TokenScope } from '@parley/protocol';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useMe } from '../auth/AuthProvider';
import { Button, Field, FormError } from '../ui/controls';
import { messageOf } from '../ui/errors';
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
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body: CreateApiTokenBody = {
      name: String(data.get('name')).trim(),
      scope: scopes.find((s) => s === data.get('scope')) ?? 'read',
      ...(actsAs === 'bot' ? { bot: { name: String(data.get('botName')).trim() } } : {}),
    };
    setSaving(true);
    setError(null);
    try {
      onCreated(await api<CreateApiTokenReply>('/api/tokens', { method: 'POST', body }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={create} className="max-w-xl space-y-4">
      <Field
        label="Token name"
        name="name"
        required
        maxLength={80}
        placeholder="Helpdesk integration"
        hint="To tell tokens apart; only admins see it."
      />
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">Access</legend>
        {scopes.map((scope) => (
          <label key={scope} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="scope"
              value={scope}
              defaultChecked={scope === 'full'}
              className="mt-0.5 h-4 w-4 shrink-0 accent-blue-600"
            />
            <span>
              <span className="font-medium text-slate-900">{scopeLabels[scope].label}</span>
              <span className="block text-slate-600">{scopeLabels[scope].description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">Acts as</legend>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="radio"
            name="actsAs"
            checked={actsAs === 'bot'}
            onChange={() => setActsAs('bot')}
            className="mt-0.5 h-4 w-4 shrink-0 accent-blue-600"
          />
          <span>
            <span className="font-medium text-slate-900">A new bot</span>
            <span className="block text-slate-600">
              A member of the team of its own. Visitors and agents see its messages marked as a
              bot&apos;s, and routing never gives it chats.
            </span>
          </span>
        </label>
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
        <label className="flex items-start gap-2 text-sm">
          <input
            type="radio"
            name="actsAs"
            checked={actsAs === 'me'}
            onChange={() => setActsAs('me')}
            className="mt-0.5 h-4 w-4 shrink-0 accent-blue-600"
          />
          <span>
            <span className="font-medium text-slate-900">Me ({me.name})</span>
            <span className="block text-slate-600">
              What it does is done in your name, with an admin&apos;s rights.
            </span>
          </span>
        </label>
      </fieldset>
      <FormError error={error} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={saving}>
          {saving ? 'Creating…' : 'Create token'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
