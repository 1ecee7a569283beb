import type { Context } from '../context.js';

/**
 * Ends sign-ins at once, everywhere: their access tokens are refused on every instance
 * (revocations) and their open sockets close (signInsEnded). A sign-in is a browser's session
 * family or an API token's id; nothing else of the user's ends.
 */
export async function endSignIns(ctx: Context, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await ctx.revocations.end(sessionIds);
  ctx.events.emit('signInsEnded', { sessionIds });
}
