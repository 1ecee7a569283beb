import { defineConfig } from 'vite';

// widget.js: the loader the site pastes, one classic script with no imports.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2020',
    lib: {
      entry: 'src/loader/main.ts',
      formats: ['iife'],
      name: 'ParleyWidgetLoader',
      fileName: () => 'widget.js',
    },
  },
});
