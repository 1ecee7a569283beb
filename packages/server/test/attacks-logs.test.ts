import { describe, expect, it } from 'vitest';
import { api, createAdmin, startVisitorChat } from './factories.js';
import { useServer } from './harness.js';
import { photo, upload } from './support/file-suite.js';

// Issue 32, item 7: what the request log must never hold. A signed download link is a key to
// the file for as long as it lasts; the log keeps the path it was for, never its signature.
const logs: string[] = [];
const server = useServer({ env: { DATA_DIR: `/tmp/parley-logs-test-${process.pid}` }, logs });

describe('attacks: the request log', () => {
  it('logs a signed download by its path, without the query that signs it', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, 'My receipt');
    const sent = await upload(s, chat.session.visitorToken, await photo(), 'receipt.jpg');
    expect(sent.status).toBe(201);
    const { body } = await api<{ url: string }>(s, 'GET', `/api/attachments/${sent.id}/url`, {
      token: admin.token,
    });
    const signature = new URL(body.url, s.url).searchParams.get('signature') ?? '';
    expect(signature.length).toBeGreaterThan(20);
    logs.length = 0;
    expect((await fetch(`${s.url}${body.url}`)).status).toBe(200);
    // A wrong signature is refused, and not logged either.
    const forged = body.url.replace(signature, 'A'.repeat(signature.length));
    expect((await fetch(`${s.url}${forged}`)).status).toBe(403);
    const searched = await fetch(`${s.url}/api/search?q=someone%40example.com`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(searched.status).toBe(200);

    const requests = logs.map((line) => JSON.parse(line) as { req?: { url: string } });
    const urls = requests.flatMap((entry) => (entry.req ? [entry.req.url] : []));
    expect(urls).toEqual([`/files/${sent.id}`, `/files/${sent.id}`, '/api/search']);
    const all = logs.join('\n');
    expect(all).not.toContain(signature);
    expect(all).not.toContain('signature=');
    expect(all).not.toContain('someone');
  });
});
