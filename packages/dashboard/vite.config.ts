import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes `.br` and `.gz` beside each script and stylesheet of the build, at the highest levels
 * (done once per build, not per request); the Parley server sends them per Accept-Encoding.
 */
function precompress(): Plugin {
  return {
    name: 'parley-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      const files = Object.keys(bundle).filter((name) => /\.(js|css)$/.test(name));
      await Promise.all(
        files.map(async (name) => {
          const path = join(dir, name);
          const raw = await readFile(path);
          const params = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY };
          await writeFile(`${path}.br`, await brotli(raw, { params }));
          await writeFile(`${path}.gz`, await gzipped(raw, { level: 9 }));
        }),
      );
    },
  };
}

// In development the API and sockets live on the server (port 5000); Vite proxies to it so the
// refresh cookie stays same-origin, exactly as when the server serves the build itself.
const server = process.env.PARLEY_SERVER ?? 'http://localhost:5000';

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  server: {
    proxy: {
      '/api': server,
      '/socket.io': { target: server, ws: true },
      '/widget': server,
      '/files': server,
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // Inline assets would need `data:` sources in the CSP; files keep it strict.
    assetsInlineLimit: 0,
    // The colours are light-dark() pairs (styles.css), kept as they are: a polyfill would settle
    // them once at the root, where the sidebar and the widget preview pin a scheme of their own.
    cssTarget: ['chrome123', 'edge123', 'firefox120', 'safari17.5'],
  },
});
