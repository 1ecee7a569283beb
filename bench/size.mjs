// Size budgets of the widget (issue 3), checked in CI: run after `npm run build -w @parley/widget`.
// Every byte of the loader is downloaded on every page of every site that embeds the chat, and
// the app on each visit; gzip at level 9 is what a server or CDN sends.
// `npm run bench` imports `widgetSizes` for its sizes table.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = new URL('../packages/widget/dist/', import.meta.url).pathname;
const KB = 1024;
export const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

const isLocale = (file) => file.startsWith('locale-');

/** The widget's budgets, measured from its build. Languages other than English are chunks
 * fetched on demand (one per visitor who needs it): reported apart, not in the app's sum. */
export function widgetSizes() {
  const assets = join(dist, 'app', 'assets');
  const files = readdirSync(assets);
  const appFiles = [
    join(dist, 'app', 'index.html'),
    ...files.filter((f) => !isLocale(f)).map((f) => join(assets, f)),
  ];
  const locales = files.filter(isLocale).map((f) => gz(join(assets, f)));
  return [
    { name: 'loader (widget.js)', bytes: gz(join(dist, 'widget.js')), limit: 4 * KB },
    {
      name: 'iframe app (html, js, css)',
      bytes: appFiles.reduce((sum, f) => sum + gz(f), 0),
      limit: 40 * KB,
    },
    {
      name: `largest language on demand (of ${locales.length})`,
      bytes: Math.max(0, ...locales),
      limit: 2 * KB,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let over = false;
  for (const { name, bytes, limit } of widgetSizes()) {
    const ok = bytes <= limit;
    over ||= !ok;
    const kb = (n) => `${(n / KB).toFixed(2)} KB`;
    console.log(`${ok ? 'ok  ' : 'OVER'} ${name}: ${kb(bytes)} gzipped (budget ${kb(limit)})`);
  }
  if (over) process.exit(1);
}
