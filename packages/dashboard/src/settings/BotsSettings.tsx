import type { ApiToken, BotSettingsReply } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import toast from 'react-hot-toast';
import { api } from '../api/client';
import { useUsers } from '../api/hooks';
import { Button, Card, FormError, SelectField, Spinner } from '../ui/controls';
import { messageOf } from '../ui/errors';
import { botSettingsKey } from './api-tokens';

/**
 * Settings → API tokens → Bots: which bot, if any, answers new chats before a person does, and
 * how it hands them over (docs/bots.md).
 */
export function BotsSettings({ tokens }: { tokens: readonly ApiToken[] | undefined }) {
  const qc = useQueryClient();
  const users = useUsers();
  const saved = useQuery({
    queryKey: botSettingsKey,
    queryFn: () => api<BotSettingsReply>('/api/bots/settings'),
  });
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (saved.data) setChoice(saved.data.settings.firstResponderId ?? '');
  }, [saved.data]);

  if (saved.error) return <FormError error={messageOf(saved.error)} />;
  if (choice === null || !users.data) return <Spinner />;
  const bots = users.data.items.filter((u) => u.kind === 'bot');
  const current = bots.find((b) => b.id === saved.data?.settings.firstResponderId);
  // A bot whose tokens are all revoked cannot answer: routing passes it by until it has one.
  const silent =
    current?.active &&
    tokens &&
    !tokens.some((t) => t.user.id === current.id && t.revokedAt === null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const reply = await api<BotSettingsReply>('/api/bots/settings', {
        method: 'PUT',
        body: { firstResponderId: choice || null },
      });
      qc.setQueryData(botSettingsKey, reply);
      toast.success('Bot settings saved');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="Bots">
      <form onSubmit={save} className="max-w-xl space-y-4">
        <p className="text-sm text-slate-600">
          A bot can answer new chats before a person does. When a visitor starts a chat, it is given
          to this bot; when the bot is done, or the visitor asks for a person, it hands the chat
          over with <code className="break-words">POST /api/conversations/:id/handover</code> and
          routing gives it to an agent with room, or queues it until one is free. See docs/bots.md.
        </p>
        <SelectField
          label="Answers new chats first"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
        >
          <option value="">No bot</option>
          {bots
            .filter((b) => b.active)
            .map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          {/* Still saved, but not in effect: the server passes chats on while it is off. */}
          {current && !current.active ? (
            <option value={current.id} disabled>
              {current.name} (deactivated)
            </option>
          ) : null}
        </SelectField>
        {bots.length === 0 ? (
          <p className="text-sm text-slate-600">
            No bots yet: create a token that acts as a new bot above.
          </p>
        ) : null}
        {silent ? (
          <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900">
            {current.name} has no token left to answer with: new chats go to people until it has
            one. Choose another bot, or No bot.
          </p>
        ) : null}
        <FormError error={error} />
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </form>
    </Card>
  );
}
