import type { ExtendedError } from 'socket.io';
import type { Context } from '../context.js';
import { widgetOriginAllowed } from '../services/widget-origins.js';
import type { VisitorSocket } from './namespaces.js';

/**
 * Visitor sockets only from the origins the visitor's site allows to embed its widget (or from
 * Parley's own pages, where the widget's iframe lives). Browsers always send Origin on a socket;
 * a client that sends none is not a browser and could claim any origin, so there is nothing to
 * check. Runs after the token is verified: the visitor's site is the token's.
 */
export function checkVisitorOrigin(ctx: Context) {
  return (socket: VisitorSocket, next: (err?: ExtendedError) => void) => {
    const { origin, host } = socket.handshake.headers;
    widgetOriginAllowed(ctx, { id: socket.data.actor.siteId }, origin, host).then(
      (allowed) => {
        if (allowed) return next();
        const refused: ExtendedError = new Error('This site may not embed the chat');
        refused.data = { code: 'forbidden' };
        next(refused);
      },
      (err: unknown) => next(err instanceof Error ? err : new Error('Origin check failed')),
    );
  };
}
