import type { RequestHandler } from 'express';
import { forbidden } from '../errors.js';

/**
 * Whether `origin` is Parley's own (the dashboard, the widget's iframe): same host as the
 * request. The scheme is not compared, so a TLS proxy in front (https outside, http inside)
 * changes nothing. `null` (sandboxed frames, files) is never Parley's own.
 */
export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host || origin === 'null') return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The REST API serves Parley's own pages only: the dashboard and the widget's iframe are both
 * served by this server. A browser request from any other origin is refused, and no CORS header
 * is ever sent. Requests without Origin (servers, scripts, curl) are not browsers' and pass:
 * they carry their own token or none.
 */
export const sameOriginOnly: RequestHandler = (req, _res, next) => {
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, req.headers.host)) {
    throw forbidden('Origin not allowed');
  }
  next();
};
