import type { Ack, AckReply } from '@parley/protocol';
import type { z } from 'zod';
import { AppError, fromZodError, toAppError, toErrorInfo } from '../errors.js';
import type { Logger } from '../logger.js';

/** What a command needs of its socket: the socket is the listener's `this`. */
type CommandSocket = { id: string; data: { actor: { kind: 'agent' | 'visitor'; id: string } } };

/**
 * Wraps a socket command: the payload goes through its protocol schema, the handler runs, and
 * the ack gets `{ok: true, data}` or `{ok: false, error}`. Nothing a client sends (a missing
 * ack, garbage, a thrown error) can escape as an unhandled rejection.
 *
 * Made once per namespace and shared by all its sockets: socket.io calls an event's listener
 * with the socket as `this`, and the handler gets it as its first argument. Thousands of widgets
 * sit idle on open pages; a closure, a scope and a logger per socket for each command were a
 * fifth of what each of their sockets held.
 */
export function command<T extends CommandSocket, S extends z.ZodType, R>(
  log: Logger,
  schema: S,
  handler: (socket: T, payload: z.output<S>) => Promise<R>,
): (this: T, payload: unknown, ack?: Ack<R>) => void {
  return function (payload, ack) {
    const reply = (r: AckReply<R>) => {
      if (typeof ack === 'function') ack(r);
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply({ ok: false, error: fromZodError(parsed.error).toInfo() });
      return;
    }
    handler(this, parsed.data).then(
      (data) => reply({ ok: true, data }),
      (error: unknown) => {
        if (!toAppError(error)) logSocketError(log, this, error, 'socket command failed');
        reply({ ok: false, error: toErrorInfo(error) });
      },
    );
  };
}

/** `command` for the sockets of one namespace, with its logger: `commandsFor<VisitorSocket>(log)`. */
export function commandsFor<T extends CommandSocket>(log: Logger) {
  return <S extends z.ZodType, R>(
    schema: S,
    handler: (socket: T, payload: z.output<S>) => Promise<R>,
  ) => command(log, schema, handler);
}

/**
 * Logs a failure with the socket's actor and id (`agentId` or `visitorId`, and `socketId`), as a
 * child logger per socket would, without keeping one for each socket.
 */
export function logSocketError(log: Logger, socket: CommandSocket, err: unknown, msg: string) {
  const { actor } = socket.data;
  const who = actor.kind === 'agent' ? { agentId: actor.id } : { visitorId: actor.id };
  log.error({ ...who, socketId: socket.id, err }, msg);
}

/**
 * Answers an event the socket's namespace has no command for (an agent command sent on
 * `/visitor`, a misspelt name) with `unknown_command`, instead of the silence that would leave
 * the client waiting on its ack. A socket middleware, made once per namespace: every event
 * passes it before any listener, and only the namespace's own commands go on.
 */
export function refuseUnknownCommands(
  commands: Record<string, unknown>,
): (event: [string, ...unknown[]], next: () => void) => void {
  return ([event, ...args], next) => {
    if (Object.hasOwn(commands, event)) return next();
    const ack = args[args.length - 1];
    const error = new AppError('unknown_command', 'No such command on this namespace');
    if (typeof ack === 'function') ack({ ok: false, error: error.toInfo() });
  };
}
