import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call, callForFile } from './client';

type Sent = { url: string; method: string; body: string | undefined };

/** Answers every request with `reply` (status and JSON), keeping what was sent. */
function serve(status: number, reply: unknown): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    sent.push({ url, method: init.method ?? 'GET', body: init.body as string | undefined });
    return Promise.resolve(
      new Response(status === 204 ? null : JSON.stringify(reply), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  });
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('call', () => {
  it("sends to the route's method and path, its params filled in and encoded", async () => {
    const sent = serve(200, { attempts: [], body: '{}' });
    await call('getWebhookDelivery', { params: { id: 'a b', deliveryId: 'd/1' } });
    expect(sent).toEqual([
      { url: '/api/webhooks/a%20b/deliveries/d%2F1', method: 'GET', body: undefined },
    ]);
  });

  it('leaves empty values out of the query, and sends the body as JSON', async () => {
    const sent = serve(200, { items: [], nextCursor: null });
    await call('listConversations', {
      query: { assignee: 'me', status: undefined, tag: '', cursor: '', limit: 30 },
    });
    await call('updateConversation', { params: { id: 'c1' }, body: { status: 'closed' } });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/conversations?assignee=me&limit=30',
      'PATCH /api/conversations/c1',
    ]);
    expect(sent[1]?.body).toBe('{"status":"closed"}');
  });

  it("returns the reply, nothing for a 204, and the server's refusal as an ApiError", async () => {
    serve(200, { items: [{ id: 'u1' }] });
    expect(await call('listUsers')).toEqual({ items: [{ id: 'u1' }] });
    serve(204, null);
    expect(await call('deleteCannedResponse', { params: { id: 'x' } })).toBeUndefined();
    serve(409, { error: { code: 'conflict', message: 'This shortcut is taken' } });
    const refused = call('createCannedResponse', {
      body: { title: 'Hi', shortcut: 'hi', content: 'Hello' },
    });
    await expect(refused).rejects.toEqual(new ApiError(409, 'conflict', 'This shortcut is taken'));
  });
});

describe('callForFile', () => {
  it("hands back the reply's bytes, and a refusal as an ApiError", async () => {
    const zip = new Uint8Array([0x50, 0x4b, 3, 4]);
    const sent: string[] = [];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      sent.push(`${init.method} ${url} ${String(init.body)}`);
      return Promise.resolve(new Response(zip, { headers: { 'content-type': 'application/zip' } }));
    });
    const blob = await callForFile('exportContact', { body: { visitorId: 'v1' } });
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(zip);
    expect(sent).toEqual(['POST /api/contacts/export {"visitorId":"v1"}']);

    serve(403, { error: { code: 'forbidden', message: 'Admins only' } });
    await expect(callForFile('exportContact', { body: { visitorId: 'v1' } })).rejects.toEqual(
      new ApiError(403, 'forbidden', 'Admins only'),
    );
  });
});
