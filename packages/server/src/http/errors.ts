import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, notFound, toAppError, toErrorInfo } from '../errors.js';
import type { Logger } from '../logger.js';

export const notFoundHandler: RequestHandler = () => {
  throw notFound('Route');
};

/** Maps anything thrown to the one error shape. Unknown errors are logged, never shown. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = asAppError(error);
    if (!known) log.error({ err: error, reqId: req.id }, 'unhandled error');
    const status = known?.status ?? 500;
    if (known?.retryAfterMs !== undefined) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(known.retryAfterMs / 1000))));
    }
    res.status(status).json({ error: toErrorInfo(known ?? error, String(req.id)) });
  };
}

// body-parser's own errors (bad JSON, too large) carry a status and a type.
function asAppError(error: unknown): AppError | null {
  const known = toAppError(error);
  if (known) return known;
  if (typeof error !== 'object' || error === null) return null;
  const type = 'type' in error ? error.type : undefined;
  if (type === 'entity.too.large')
    return new AppError('payload_too_large', 'Request body too large');
  if (type === 'entity.parse.failed') return new AppError('validation_failed', 'Malformed JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('validation_failed', 'Unsupported encoding');
  }
  const status = 'status' in error ? error.status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('validation_failed', 'Bad request');
  }
  return null;
}
