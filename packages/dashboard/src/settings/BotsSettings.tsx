import type { ApiToken } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call } from '../api/client';
import { useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Card, FormError, SelectField, Spinner } from '../ui/controls';
import { messageOf } from '../ui/errors';
import { FormActions } from '../ui/FormActions';
import { botChoices } from './bots';

/**
 * Settings → API tokens → Bots: which bot, if any, answers new chats before a person does, and
 * how it hands them over (docs/bots.md).
 */
export function BotsSettings({ tokens }: { tokens: readonly ApiToken[] | undefined }) {
  const qc = useQueryClient();
  const users = useUsers();
  const saved = useQuery({
    queryKey: keys.botSettings,
    queryFn: () => call('getBotSettings'),
  });
  const [choice, setChoice] = useState<string | null>(null);
  useEffect(() => {
    if (saved.data) setChoice(saved.data.settings.firstResponderId ?? '');
  }, [saved.data]);
  const save = useSave({
    save: (firstResponderId: string | null) =>
      call('putBotSettings', { body: { firstResponderId } }),
    onSaved: (reply) => qc.setQueryData(keys.botSettings, reply),
    done: 'Bot settings saved',
    errorIn: 'form',
  });

  if (saved.error) return <FormError error={messageOf(saved.error)} />;
  if (choice === null || !users.data) return <Spinner />;
  const { bots, current, choices } = botChoices(
    users.data.items,
    saved.data?.settings.firstResponderId ?? null,
    'No bot',
  );
  // A bot whose tokens are all revoked cannot answer: routing passes it by until it has one.
  const silent =
    current?.active &&
    tokens &&
    !tokens.some((t) => t.user.id === current.id && t.revokedAt === null);

  return (
    <Card title="Bots">
      <form onSubmit={submitted(() => save.run(choice || null))} className="max-w-xl space-y-4">
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
          options={choices}
        />
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
        <FormActions submit="Save" busy={save.busy} error={save.error} />
      </form>
    </Card>
  );
}
