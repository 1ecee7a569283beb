import type { User } from '@parley/protocol';
import type { SelectOption } from '../ui/controls';

/**
 * The choices of a first-responder bot (for all new chats, a site's or a team's): `none` first,
 * then every active bot. The saved one, once deactivated, stays in the list, marked and not to be
 * chosen again: the server passes chats on while it is off.
 */
export function botChoices(users: readonly User[], savedId: string | null, none: string) {
  const bots = users.filter((u) => u.kind === 'bot');
  const current = bots.find((b) => b.id === savedId);
  const choices: SelectOption[] = [
    { value: '', label: none },
    ...bots.filter((b) => b.active).map((b) => ({ value: b.id, label: b.name })),
    ...(current && !current.active
      ? [{ value: current.id, label: `${current.name} (deactivated)`, disabled: true }]
      : []),
  ];
  return { bots, current, choices };
}
