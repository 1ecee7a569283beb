// `npm run bench:lighthouse` (issue 20): what the widget costs the page that embeds it, measured
// by Lighthouse (simulated mobile) on the demo shop page served from another origin than Parley,
// with the install snippet and without it: first and largest contentful paint, total blocking
// time, the median of LIGHTHOUSE_RUNS (default 3) runs each, interleaved so that both see the
// same machine. Target: with the widget within 5% (or 50 ms) of without; exits 1 on a miss.
//
// Runs the built server (`npm run build` first; built here when missing) and the system's
// Chromium (CHROME_PATH, default /usr/bin/chromium).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { tsImport } from 'tsx/esm/api';
import { median, serverFlags, sleep, spawnNode, stop } from './lib.mjs';
import { freePort } from '../tools/local.mjs';

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const mainJs = join(root, 'packages/server/dist/main.js');
const demo = join(root, 'packages/widget/demo');
const log = (line) => console.error(`[lighthouse] ${line}`);

if (!existsSync(mainJs) || !existsSync(join(root, 'packages/widget/dist/widget.js'))) {
  log('building');
  const built = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('build failed');
}
// The snippet's script, as the dashboard shows it to admins.
const { widgetSnippetScript } = await tsImport(
  '../packages/protocol/src/widget-frame.ts',
  import.meta.url,
);

// ---- Parley, on localhost -------------------------------------------------------------------

const parleyPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'parley-lighthouse-'));
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
  if (i > 200) throw new Error(`Parley did not start:\n${parley.output()}`);
  await sleep(150);
}

// ---- the demo shop, on 127.0.0.1: another origin ---------------------------------------------

const snippet = `<script>${widgetSnippetScript(parleyUrl)}
LiveChatWidget.init({ apiUrl: "${parleyUrl}" });</script>`;
const demoPage = readFileSync(join(demo, 'index.html'), 'utf8').replace(
  /<script[\s\S]*<\/script>/,
  '<!--widget-->',
);
// `--compare-old`: also the snippet before issue 20 (a plain <script>, then init), for the
// record; it doubles the run's time, so CI leaves it out.
const compareOld = process.argv.includes('--compare-old');
const blocking = `<script src="${parleyUrl}/widget.js"></script>
<script>LiveChatWidget.init({ apiUrl: "${parleyUrl}" });</script>`;
const pages = {
  '/without': demoPage.replace('<!--widget-->', ''),
  '/with': demoPage.replace('<!--widget-->', snippet),
  '/blocking': demoPage.replace('<!--widget-->', blocking),
};
const css = readFileSync(join(demo, 'demo.css'));
const sitePort = await freePort();
const site = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/demo/demo.css') {
    res.writeHead(200, { 'content-type': 'text/css' });
    return res.end(css);
  }
  const page = pages[path];
  res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page ?? 'not found');
});
await new Promise((resolve) => site.listen(sitePort, '127.0.0.1', resolve));

// ---- Lighthouse -----------------------------------------------------------------------------

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});

const metrics = {
  FCP: 'first-contentful-paint',
  LCP: 'largest-contentful-paint',
  TBT: 'total-blocking-time',
};
const samples = { without: [], with: [], blocking: [] };
const startedAt = Date.now();
try {
  for (let run = 1; run <= RUNS; run++) {
    for (const variant of ['without', 'with', ...(compareOld ? ['blocking'] : [])]) {
      const result = await lighthouse(`http://127.0.0.1:${sitePort}/${variant}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance'],
      });
      const audits = result?.lhr.audits ?? {};
      const sample = Object.fromEntries(
        Object.entries(metrics).map(([name, id]) => [name, audits[id]?.numericValue ?? NaN]),
      );
      samples[variant].push(sample);
      // The widget does load within the run (after the page's load): its requests and bytes.
      const parleyRequests = (audits['network-requests']?.details?.items ?? []).filter((r) =>
        String(r.url).startsWith(parleyUrl),
      );
      sample.parleyRequests = parleyRequests.length;
      sample.parleyKB = parleyRequests.reduce((sum, r) => sum + (r.transferSize ?? 0), 0) / 1024;
      log(
        `run ${run} ${variant}: ${JSON.stringify(sample, (_k, v) => (typeof v === 'number' ? Math.round(v) : v))}`,
      );
    }
  }
} finally {
  await chrome.kill();
  site.close();
  await stop(parley);
  rmSync(dataDir, { recursive: true, force: true });
}

// ---- report ---------------------------------------------------------------------------------

const rows = Object.keys(metrics).map((name) => {
  const without = median(samples.without.map((s) => s[name]));
  const withWidget = median(samples.with.map((s) => s[name]));
  const old = median(samples.blocking.map((s) => s[name]));
  const delta = withWidget - without;
  const ok = delta <= Math.max(50, without * 0.05);
  return [
    name,
    `${Math.round(without)} ms`,
    `${Math.round(withWidget)} ms`,
    `${delta >= 0 ? '+' : ''}${Math.round(delta)} ms`,
    ok ? 'ok' : 'MISS',
    ...(compareOld ? [`${Math.round(old)} ms`] : []),
  ];
});
const widget = samples.with.map((s) => `${s.parleyRequests} requests, ${s.parleyKB.toFixed(1)} KB`);
const header = [
  'metric',
  'without widget',
  'with widget',
  'difference',
  'within 5% or 50 ms',
  ...(compareOld ? ['old blocking snippet'] : []),
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, simulated mobile, demo shop on another origin, median of ${RUNS} runs each (${Math.round((Date.now() - startedAt) / 1000)} s)\n`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
rows.forEach((r) => console.log(line(r)));
console.log(
  `\nParley's requests in the runs with the widget, all after the page's load: ${widget.join('; ')}`,
);
if (rows.some((r) => r[4] === 'MISS')) process.exitCode = 1;
