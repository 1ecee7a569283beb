// `node bench/widget-bytes.mjs` (issue 33): what the widget costs a visitor who never opens it.
// A host page on another origin (127.0.0.1) with the install snippet, Parley on localhost, a
// fresh browser (empty cache, no stored token) each run: every response from Parley's origin in
// the first 5 s after navigation, the chat left closed, summed as Chromium reports it (headers
// plus the compressed body). Websocket frames are counted apart: they are not a download but
// the presence the widget exists for (agents see the visitor, proactive messages, the badge).
// Prints the median of WIDGET_BYTES_RUNS (default 3) runs and each response of the last;
// exits 1 over the budget.
//
// Runs the built server (`npm run build` first) and the system's Chromium (CHROME_PATH,
// default /usr/bin/chromium), through playwright-core.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { median, serverFlags, sleep, spawnNode, stop } from './lib.mjs';
import { freePort } from '../tools/local.mjs';

const RUNS = Number(process.env.WIDGET_BYTES_RUNS ?? 3);
const WINDOW_MS = 5000;
const BUDGET = 40 * 1024;
const KB = 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const mainJs = join(root, 'packages/server/dist/main.js');
const log = (line) => console.error(`[widget-bytes] ${line}`);

if (!existsSync(mainJs) || !existsSync(join(root, 'packages/widget/dist/widget.js')))
  throw new Error('Build first: npm run build');
const { widgetSnippetScript } = await tsImport(
  '../packages/protocol/src/widget-frame.ts',
  import.meta.url,
);

// ---- Parley on localhost, the host page on 127.0.0.1 (another origin and site) ---------------

const parleyPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'parley-widget-bytes-'));
const parley = spawnNode([...serverFlags, mainJs], {
  cwd: root,
  env: { PORT: String(parleyPort), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
});
const parleyUrl = `http://localhost:${parleyPort}`;
for (let i = 0; ; i++) {
  const ok = await fetch(`${parleyUrl}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (i > 400) throw new Error(`Parley did not start:\n${parley.output()}`);
  await sleep(150);
}

const hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Outdoor</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Acme Outdoor</h1><p>Tents, stoves and everything for the trail.</p></main>
<script>${widgetSnippetScript(parleyUrl)}
LiveChatWidget.init({ apiUrl: "${parleyUrl}" });</script></body></html>`;
const sitePort = await freePort();
const site = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(hostPage);
});
await new Promise((resolve) => site.listen(sitePort, '127.0.0.1', resolve));

// ---- the runs ---------------------------------------------------------------------------------

/**
 * One visit: Parley's responses to the requests the page made in its first WINDOW_MS, the chat
 * left closed, and the websocket frames received meanwhile. `launcherMs`: when the launcher
 * showed (the frame had started); a run where it did not within the window says so.
 */
async function visit(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests = [];
  let wsBytes = 0;
  let wsFrames = 0;
  const start = Date.now();
  const inWindow = () => Date.now() - start < WINDOW_MS;
  page.on('request', (r) => {
    if (r.url().startsWith(parleyUrl) && inWindow()) requests.push(r);
  });
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(parleyUrl.replace('http', 'ws'))) return;
    ws.on('framereceived', ({ payload }) => {
      if (!inWindow()) return;
      wsFrames++;
      wsBytes += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    });
  });
  await page.goto(`http://127.0.0.1:${sitePort}/`);
  const launcher = page.locator('[data-parley-widget] button.l');
  const launcherMs = await launcher
    .waitFor({ timeout: WINDOW_MS * 3 })
    .then(() => Date.now() - start)
    .catch(() => Infinity);
  await sleep(Math.max(0, WINDOW_MS - (Date.now() - start)));
  const closed = await launcher.getAttribute('aria-expanded', { timeout: 1000 }).catch(() => null);
  const rows = await Promise.all(
    requests.map(async (r) => {
      await r.response().catch(() => null);
      const sizes = await r.sizes().catch(() => null);
      const response = await r.response().catch(() => null);
      return {
        path: new URL(r.url()).pathname.replace(/-[\w-]{8}\.(js|css)$/, '-[hash].$1'),
        status: response?.status() ?? 0,
        response: sizes ? sizes.responseHeadersSize + sizes.responseBodySize : 0,
        request: sizes ? sizes.requestHeadersSize + sizes.requestBodySize : 0,
      };
    }),
  );
  await context.close();
  if (closed !== 'false') throw new Error(`the launcher is not there, or open (${closed})`);
  const sum = (key) => rows.reduce((s, r) => s + r[key], 0);
  return {
    rows,
    response: sum('response'),
    request: sum('request'),
    wsBytes,
    wsFrames,
    launcherMs,
  };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const results = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    const result = await visit(browser);
    results.push(result);
    if (result.launcherMs > WINDOW_MS) log(`run ${run}: the launcher showed after the window`);
    log(
      `run ${run}: launcher at ${result.launcherMs} ms, ${result.rows.length} responses, ${(result.response / KB).toFixed(1)} KB in, ` +
        `${(result.request / KB).toFixed(1)} KB out, websocket ${result.wsFrames} frames ${(result.wsBytes / KB).toFixed(1)} KB`,
    );
  }
} finally {
  await browser.close();
  site.close();
  await stop(parley);
  rmSync(dataDir, { recursive: true, force: true });
}

// ---- report -----------------------------------------------------------------------------------

const last = results[results.length - 1];
const width = Math.max(...last.rows.map((r) => r.path.length));
console.log(`Responses from Parley in the last run's first ${WINDOW_MS / 1000} s (chat closed):\n`);
for (const r of last.rows)
  console.log(`  ${r.path.padEnd(width)}  ${r.status}  ${(r.response / KB).toFixed(2)} KB`);
const responses = median(results.map((r) => r.response));
const ok = responses <= BUDGET;
console.log(
  `\nMedian of ${RUNS} fresh visits: ${median(results.map((r) => r.rows.length))} responses, ` +
    `${(responses / KB).toFixed(1)} KB from Parley (budget ${BUDGET / KB} KB: ${ok ? 'ok' : 'OVER'}); ` +
    `requests sent ${(median(results.map((r) => r.request)) / KB).toFixed(1)} KB; ` +
    `websocket frames received ${(median(results.map((r) => r.wsBytes)) / KB).toFixed(1)} KB`,
);
if (!ok) process.exitCode = 1;
