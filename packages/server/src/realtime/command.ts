import type { Ack, AckReply } from '@parley/protocol';
import type { z } from 'zod';
import { AppError, fromZodError, toAppError, toErrorInfo } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Wraps a socket command: the payload goes through its protocol schema, the handler runs, and
 * the ack gets `{ok: true, data}` or `{ok: false, error}`. Nothing a client sends (a missing
 * ack, garbage, a thrown error) can escape as an unhandled rejection.
 */
export function command<S extends z.ZodType, R>(
  log: Logger,
  schema: S,
  handler: (payload: z.output<S>) => Promise<R>,
): (payload: unknown, ack?: Ack<R>) => void {
  return (payload, ack) => {
    const reply = (r: AckReply<R>) => {
      if (typeof ack === 'function') ack(r);
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply({ ok: false, error: fromZodError(parsed.error).toInfo() });
      return;
    }
    handler(parsed.data).then(
      (data) => reply({ ok: true, data }),
      (error: unknown) => {
        if (!toAppError(error)) log.error({ err: error }, 'socket command failed');
        reply({ ok: false, error: toErrorInfo(error) });
      },
    );
  };
}

/**
 * Answers an event the socket's namespace has no command for (an agent command sent on
 * `/visitor`, a misspelt name) with `unknown_command`, instead of the silence that would leave
 * the client waiting on its ack. A socket middleware: every event passes it before any listener,
 * and only the namespace's own commands go on.
 */
export function refuseUnknownCommands(
  socket: { use(fn: (event: [string, ...unknown[]], next: () => void) => void): unknown },
  commands: Record<string, unknown>,
): void {
  socket.use(([event, ...args], next) => {
    if (Object.hasOwn(commands, event)) return next();
    const ack = args[args.length - 1];
    const error = new AppError('unknown_command', 'No such command on this namespace');
    if (typeof ack === 'function') ack({ ok: false, error: error.toInfo() });
  });
}
