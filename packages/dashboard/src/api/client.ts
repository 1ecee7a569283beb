import type { ErrorInfo } from '@parley/protocol';
import {
  apiAddresses,
  fillPath,
  type OperationId,
  type RouteReply,
  type RouteRequest,
} from '@parley/protocol/api-addresses';
import { cookieCredentials, serverUrl } from './server-url';
import { getAccessToken, refreshSession } from './session';
import { sayTwoFactorRequired } from '../auth/two-factor-required';

/** An error the server reported in its one shape, or a network failure (`code: 'network'`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorInfo['code'] | 'network',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Options = { method?: string; body?: unknown; signal?: AbortSignal };

async function send(path: string, opts: Options): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = getAccessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(serverUrl(path), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: cookieCredentials,
      signal: opts.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Cannot reach the server');
  }
}

/** What a call sends besides its address (the route's params, query and body), and its signal. */
type CallRequest<K extends OperationId> = RouteRequest<K> & { signal?: AbortSignal };

/**
 * Calls a REST operation by its name in the catalogue (`@parley/protocol/api-addresses`): the
 * method and path come from there, and so do the types of what is sent and of the reply, so a
 * reply's type follows from the route. The request may be left out when the route needs nothing.
 *
 *     const { conversation } = await call('getConversation', { params: { id } });
 */
export function call<K extends OperationId>(
  operationId: K,
  ...[request]: object extends RouteRequest<K> ? [request?: CallRequest<K>] : [CallRequest<K>]
): Promise<RouteReply<K>> {
  const { method, path } = apiAddresses[operationId];
  const search = query(request?.query ?? {});
  return api<RouteReply<K>>(fillPath(path, request?.params) + search, {
    method: method.toUpperCase(),
    body: request?.body,
    signal: request?.signal,
  });
}

/**
 * Where the session's own routes live (`login`, `refresh`, `getMe`, …): a 401 there is the
 * answer itself (a wrong password, a spent cookie), not a token to refresh.
 */
const SESSION_ROUTES = '/api/auth/';

/**
 * JSON request to the API. An expired access token (401) is refreshed once, silently, and the
 * request repeated, so an agent never notices the 15-minute token lifetime.
 */
async function api<T>(path: string, opts: Options = {}): Promise<T> {
  const res = await respond(path, opts);
  // The server validates what it sends against the same protocol types, so replies are trusted
  // by type here rather than parsed again (that would need zod and every schema in the first
  // load: zod alone is ~95 KB minified).
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw errorFrom(res.status, res.statusText, body);
  return body as T;
}

/** The response, asked for once more after a silent refresh if the access token had expired. */
async function respond(path: string, opts: Options): Promise<Response> {
  const res = await send(path, opts);
  if (res.status !== 401 || !getAccessToken() || path.startsWith(SESSION_ROUTES)) return res;
  return (await refreshSession()) ? send(path, opts) : res;
}

/**
 * Calls a route that answers with a file (a contact's export, a zip) and hands back its bytes;
 * a refusal comes as an ApiError, as from `call`. The token is refreshed as for `call`.
 */
export async function callForFile<K extends OperationId>(
  operationId: K,
  ...[request]: object extends RouteRequest<K> ? [request?: CallRequest<K>] : [CallRequest<K>]
): Promise<Blob> {
  const { method, path } = apiAddresses[operationId];
  const res = await respond(fillPath(path, request?.params) + query(request?.query ?? {}), {
    method: method.toUpperCase(),
    body: request?.body,
    signal: request?.signal,
  });
  if (res.ok) return res.blob();
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not the API's JSON (a proxy's error page): the status says enough
  }
  throw errorFrom(res.status, res.statusText, body);
}

/** The server's one error shape as an ApiError (also for requests made without `call`). */
export function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  const info = (body as { error?: ErrorInfo } | null)?.error;
  if (info?.code === 'two_factor_required') sayTwoFactorRequired();
  return new ApiError(status, info?.code ?? 'internal', info?.message ?? statusText, info?.details);
}

/** Builds a query string from defined values only. */
export function query(
  params: Record<string, string | number | boolean | undefined | null>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
