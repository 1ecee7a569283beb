import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * engine.io-client as the widget uses it (src/app/visitor-socket.ts): its parser for text alone
 * (src/app/engine-text.ts), and without WebTransport, which Parley's server does not offer.
 * What every visitor downloads of the transport shrinks by a fifth.
 */
function leanEngine(): Plugin {
  const textParser = fileURLToPath(new URL('src/app/engine-text.ts', import.meta.url));
  const noWebTransport = '\0parley:no-webtransport';
  return {
    name: 'parley:lean-engine',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer?.includes('/node_modules/engine.io-client/')) return null;
      if (source === 'engine.io-parser') return textParser;
      if (source.endsWith('/webtransport.js')) return noWebTransport;
      return null;
    },
    load: (id) => (id === noWebTransport ? 'export const WT = undefined;' : null),
  };
}

// The chat app that runs inside the iframe, served by Parley under /widget/.
export default defineConfig({
  base: '/widget/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [leanEngine()],
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2020',
    // One small script and one stylesheet: the page has a strict CSP and no inline code.
    modulePreload: false,
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // Each language but English, and each part of the chat fetched on first use
        // (src/app/parts.ts), is a chunk of its own: named so that the size budgets
        // (bench/size.mjs) count them apart from the app every visitor loads.
        chunkFileNames: (chunk) =>
          chunk.facadeModuleId?.includes('/locales/')
            ? 'assets/locale-[name]-[hash].js'
            : 'assets/part-[name]-[hash].js',
        assetFileNames: (asset) =>
          asset.names.some((name) => name.endsWith('.css') && name !== 'index.css')
            ? 'assets/part-[name]-[hash][extname]'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
});
