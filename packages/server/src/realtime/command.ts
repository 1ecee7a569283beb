import type { Ack, AckReply } from '@parley/protocol';
import type { z } from 'zod';
import { AppError, fromZodError, toErrorInfo } from '../errors.js';
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
        if (!(error instanceof AppError)) log.error({ err: error }, 'socket command failed');
        reply({ ok: false, error: toErrorInfo(error) });
      },
    );
  };
}
