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
    rolldownOptions: {
      output: {
        // Each language but English is a chunk fetched on demand: named so that the size
        // budget (bench/size.mjs) counts them apart from the app every visitor loads.
        chunkFileNames: (chunk) =>
          chunk.facadeModuleId?.includes('/locales/')
            ? 'assets/locale-[name]-[hash].js'
            : 'assets/[name]-[hash].js',
      },
    },
  },
});
