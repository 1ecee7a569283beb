import type { Attachment } from '@parley/protocol';
import { routePath, type RouteReply } from '@parley/protocol/api-addresses';
import { ApiError, errorFrom, query } from '../api/client';
import { serverUrl } from '../api/server-url';
import { getAccessToken, refreshSession } from '../api/session';

type Reply = { status: number; statusText: string; body: unknown };

/** One PUT of the bytes; XMLHttpRequest rather than fetch, which cannot report upload progress. */
function put(
  id: string,
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', serverUrl(routePath('uploadAttachment', { id }) + query({ name })));
    const token = getAccessToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // not the API's JSON (a proxy's error page): the status says enough
      }
      resolve({ status: xhr.status, statusText: xhr.statusText, body });
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the server'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    if (signal.aborted) return reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/**
 * Uploads a file under the id the client chose, reporting progress from 0 to 1. The id makes a
 * repeat safe: after an expired access token is refreshed (as `api` does on a 401) the same PUT
 * is sent again, and the server answers with the file it already holds, if any.
 */
export async function uploadFile(
  id: string,
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Attachment> {
  let reply = await put(id, file, name, onProgress, signal);
  if (reply.status === 401 && getAccessToken() && (await refreshSession())) {
    onProgress(0);
    reply = await put(id, file, name, onProgress, signal);
  }
  if (reply.status < 200 || reply.status >= 300) {
    throw errorFrom(reply.status, reply.statusText, reply.body);
  }
  return (reply.body as RouteReply<'uploadAttachment'>).attachment;
}
