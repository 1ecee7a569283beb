import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call } from './client';

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
