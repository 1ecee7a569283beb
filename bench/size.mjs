// Size budgets of the widget (issues 3 and 33), checked in CI: run after `npm run build -w @parley/widget`.
// Every byte of the loader is downloaded on every page of every site that embeds the chat, and
// the eager app on each visit; gzip at level 9 is what a server or CDN sends. The parts of the
// chat fetched on first use (packages/widget/src/app/parts.ts) and the languages but English are
// chunks of their own, each with its own budget, fetched only by the visitors who need them.
// `npm run bench` imports `widgetSizes` for its sizes table (the loader first, the eager app second).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = new URL('../packages/widget/dist/', import.meta.url).pathname;
const KB = 1024;
export const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Each part's budget (JS and CSS together); a new part needs one here. */
const PART_BUDGETS = {
  files: 4 * KB,
  rating: 2 * KB,
  transcript: 2 * KB,
  identity: 1.5 * KB,
  // altcha's solver, for the offline form and transcripts (issue 36).
  'proof-of-work': 2 * KB,
};

/** The widget's budgets, measured from its build, each `{ name, bytes, limit }`. */
export function widgetSizes() {
  const app = join(dist, 'app');
  const assets = join(app, 'assets');
  const files = readdirSync(assets);
  // What every visitor loads: the frame's page and what it links to.
  const html = readFileSync(join(app, 'index.html'), 'utf8');
  const eager = [...html.matchAll(/(?:src|href)="\/widget\/assets\/([^"]+)"/g)].map((m) => m[1]);
  const sum = (list) => list.reduce((total, f) => total + gz(join(assets, f)), 0);

  const parts = new Map();
  for (const f of files) {
    const name = /^part-(.+)-[\w-]{8}\.(js|css)$/.exec(f)?.[1];
    if (name) parts.set(name, [...(parts.get(name) ?? []), f]);
  }
  const locales = files.filter((f) => f.startsWith('locale-')).map((f) => gz(join(assets, f)));
  const eagerBytes = gz(join(app, 'index.html')) + sum(eager);
  const partSizes = [...parts].map(([name, list]) => ({
    name: `part on first use: ${name} (js, css)`,
    bytes: sum(list),
    limit: PART_BUDGETS[name] ?? 0,
  }));
  return [
    { name: 'loader (widget.js)', bytes: gz(join(dist, 'widget.js')), limit: 3.6 * KB },
    { name: 'iframe app, eager (html, js, css)', bytes: eagerBytes, limit: 28 * KB },
    ...partSizes,
    {
      name: `largest language on demand (of ${locales.length})`,
      bytes: Math.max(0, ...locales),
      limit: 2 * KB,
    },
    {
      name: 'iframe app with every part (no language)',
      bytes: eagerBytes + partSizes.reduce((total, p) => total + p.bytes, 0),
      limit: 40 * KB,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let over = false;
  for (const { name, bytes, limit } of widgetSizes()) {
    const ok = bytes <= limit;
    over ||= !ok;
    const kb = (n) => `${(n / KB).toFixed(2)} KB`;
    const budget = limit ? `budget ${kb(limit)}` : 'no budget: add one to bench/size.mjs';
    console.log(`${ok ? 'ok  ' : 'OVER'} ${name}: ${kb(bytes)} gzipped (${budget})`);
  }
  if (over) process.exit(1);
}
