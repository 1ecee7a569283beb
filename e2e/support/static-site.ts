import { createServer } from 'node:http';
import { widgetSnippetScript } from '@parley/protocol';
import { freePort } from '../../tools/local.mjs';

export type StaticSite = { origin: string; stop(): Promise<void> };

/**
 * A stand-in for a customer's website: the given pages, served from http://127.0.0.1:<port>,
 * with no CSP of its own. Unknown paths fall back to the page at '/' (as a single-page app).
 */
export async function startStaticSite(pages: Record<string, string>): Promise<StaticSite> {
  const port = await freePort();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const page = pages[path] ?? pages['/'];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A customer's page with nothing on it but the widget of the Parley at `apiUrl`. */
export const shopPage = (apiUrl: string) =>
  `<!doctype html><html lang="en"><head><title>Shop</title></head><body><main><h1>Shop</h1></main>
<script src="${apiUrl}/widget.js"></script>
<script>LiveChatWidget.init({ apiUrl: '${apiUrl}' });</script></body></html>`;

/**
 * The install snippet as the dashboard shows it: the stub (which loads widget.js after the
 * page's load) and `calls`, each a statement such as `LiveChatWidget.init({...})`.
 */
export const asyncSnippet = (apiUrl: string, calls: string[]) =>
  `<script>${widgetSnippetScript(apiUrl)}\n${calls.join('\n')}</script>`;
