import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import sharp from 'sharp';
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
      // The assets the server sends compressed (http/dashboard.ts); sw.js is not one.
      const files = Object.keys(bundle).filter((name) => /^assets\/.+\.(js|css)$/.test(name));
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

const publicDir = join(import.meta.dirname, 'public');
/** The files the service worker keeps for its offline page (src/pwa/sw.js `KEPT`). */
const KEPT_BY_WORKER = ['offline.html', 'offline.js', 'favicon.svg'];
/** favicon.svg's blue, behind the icons that must have no transparent corners. */
const ICON_BACKGROUND = '#2563eb';

/**
 * What makes the dashboard an installable app (issue 37) beyond public/ (the manifest, the
 * offline page): the PNG icons, drawn from favicon.svg at each build (PNGs are not committed),
 * and the service worker, whose cache is named for a digest of the files it keeps, so that a
 * new offline page is a new worker, which browsers install.
 */
function installableApp(): Plugin {
  return {
    name: 'parley-installable-app',
    apply: 'build',
    async generateBundle() {
      const svg = await readFile(join(publicDir, 'favicon.svg'));
      const { width = 32 } = await sharp(svg).metadata();
      // Drawn at the size asked, not drawn small and enlarged.
      const draw = (size: number) => sharp(svg, { density: (72 * size) / width }).resize(size);
      // Masked to a circle or squircle by Android, and to a rounded square by iOS (which fills
      // transparency with black): the icon full bleed. Its glyph is within the safe zone.
      const fullBleed = (size: number) => draw(size).flatten({ background: ICON_BACKGROUND });
      // Android draws only a badge's alpha: the icon's white glyph alone.
      const glyph = await draw(96).flatten({ background: '#000' }).greyscale().threshold(200);
      const badge = sharp({
        create: { width: 96, height: 96, channels: 3, background: '#fff' },
      }).joinChannel(await glyph.raw().toBuffer(), { raw: { width: 96, height: 96, channels: 1 } });
      const icons = {
        'icons/icon-192.png': draw(192),
        'icons/icon-512.png': draw(512),
        'icons/maskable-512.png': fullBleed(512),
        'icons/apple-touch-icon.png': fullBleed(180),
        'icons/badge-96.png': badge,
      };
      for (const [fileName, image] of Object.entries(icons)) {
        this.emitFile({ type: 'asset', fileName, source: await image.png().toBuffer() });
      }

      const kept = createHash('sha256');
      for (const name of KEPT_BY_WORKER) kept.update(await readFile(join(publicDir, name)));
      const worker = await readFile(join(import.meta.dirname, 'src/pwa/sw.js'), 'utf8');
      if (!worker.includes('__KEPT_DIGEST__')) throw new Error('sw.js: no __KEPT_DIGEST__');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: worker.replace('__KEPT_DIGEST__', kept.digest('hex').slice(0, 12)),
      });
    },
  };
}

// In development the API and sockets live on the server (port 5000); Vite proxies to it so the
// refresh cookie stays same-origin, exactly as when the server serves the build itself.
const server = process.env.PARLEY_SERVER ?? 'http://localhost:5000';

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress(), installableApp()],
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
