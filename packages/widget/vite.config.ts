import { defineConfig } from 'vite';

// The chat app that runs inside the iframe, served by Parley under /widget/.
export default defineConfig({
  base: '/widget/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2020',
    // One small script and one stylesheet: the page has a strict CSP and no inline code.
    modulePreload: false,
    assetsInlineLimit: 0,
  },
});
