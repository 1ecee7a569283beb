import { Bot } from 'lucide-react';

/**
 * Marks a bot (an integration acting through an API token) wherever a person could be assumed:
 * beside its name on its messages, in the team, among API tokens.
 */
export function BotBadge() {
  return (
    <span
      data-testid="bot-badge"
      className="inline-flex shrink-0 items-center gap-0.5 rounded bg-blue-50 px-1 align-middle text-[0.6875rem] font-semibold leading-4 text-blue-700 ring-1 ring-inset ring-blue-700/30"
    >
      <Bot aria-hidden className="h-3 w-3" />
      Bot
    </span>
  );
}
