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
 * Whether a browser page at `origin` may act as an agent: Parley's own dashboard, or one deployed
 * apart from the API on an origin listed in DASHBOARD_ORIGINS (exact match, scheme and port too).
 */
export function isDashboardOrigin(
  origin: string,
  host: string | undefined,
  dashboardOrigins: readonly string[],
): boolean {
  return isOwnOrigin(origin, host) || dashboardOrigins.includes(origin);
}

// What the dashboard sends across origins: its bearer token and JSON bodies.
const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '600',
};

/**
 * The REST API serves Parley's own pages (the dashboard and the widget's iframe, both served by
 * this server) and the dashboard origins listed in DASHBOARD_ORIGINS. Those alone get CORS
 * headers, with credentials (the refresh cookie), and their preflights are answered here. A
 * browser request from any other origin is refused, with no CORS header. Requests without
 * Origin (servers, scripts, curl) are not browsers' and pass: they carry their own token or none.
 */
export function allowedOriginsOnly(dashboardOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    // Answers differ by Origin once other origins are served: caches must keep them apart.
    if (dashboardOrigins.length) res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined || isOwnOrigin(origin, req.headers.host)) return next();
    if (!dashboardOrigins.includes(origin)) throw forbidden('Origin not allowed');
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'retry-after, x-request-id');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.set(PREFLIGHT_HEADERS).status(204).end();
      return;
    }
    next();
  };
}
