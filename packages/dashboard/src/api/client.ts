import type { ErrorInfo } from '@parley/protocol';
import { cookieCredentials, serverUrl } from './server-url';
import { getAccessToken, refreshSession } from './session';

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

/**
 * JSON request to the API. An expired access token (401) is refreshed once, silently, and the
 * request repeated, so an agent never notices the 15-minute token lifetime.
 */
export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  let res = await send(path, opts);
  if (res.status === 401 && getAccessToken() && !path.startsWith('/api/auth/')) {
    if (await refreshSession()) res = await send(path, opts);
  }
  // The server validates what it sends against the same protocol types, so replies are trusted
  // by type here rather than parsed again (zod would add ~50 KB to the first load).
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw errorFrom(res.status, res.statusText, body);
  return body as T;
}

/** The server's one error shape as an ApiError (also for requests made without `api`). */
export function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  const info = (body as { error?: ErrorInfo } | null)?.error;
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
