import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import type { Context } from '../context.js';
import {
  widgetFrameAncestors,
  widgetOriginAllowed,
  widgetSiteExists,
} from '../services/widget-origins.js';

/**
 * The embeddable widget (issue 3): widget.js for sites to paste, the chat app for its iframe
 * under /widget/, and /demo, a page with the widget on it. The files are the build of
 * @parley/widget; each is read, compressed once and kept in memory until it changes on disk.
 */
export function widgetRoutes(ctx: Context): Router {
  const router = Router();
  const files = new FileCache(widgetDir());

  // A site's page loads this cross-origin with a plain <script>: CORP must allow that. Its URL
  // carries no version (sites paste it once), so caches hold it briefly and revalidate.
  router.get('/widget.js', (req, res) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    files.send(req, res, 'dist/widget.js', 'public, max-age=300, stale-while-revalidate=86400');
  });

  // The chat app's page: only sites allowed in the settings may frame it (CSP frame-ancestors,
  // enforced by the browser); a request that says it comes from another site is refused here.
  router.get(['/widget', '/widget/', '/widget/index.html'], async (req, res) => {
    const claimed = typeof req.query.origin === 'string' ? req.query.origin : undefined;
    // The loader always sends `site`, empty for a snippet without one: the default site.
    const site = {
      key: typeof req.query.site === 'string' && req.query.site ? req.query.site : undefined,
    };
    const referrer = originOf(req.get('referer'));
    const host = req.get('host');
    if (!(await widgetSiteExists(ctx, site.key))) {
      res.status(404).type('text/plain').send('No site has this key: check the snippet.');
      return;
    }
    const allowed =
      (await widgetOriginAllowed(ctx, site, claimed, host)) &&
      (await widgetOriginAllowed(ctx, site, referrer, host));
    if (!allowed) {
      res.status(403).type('text/plain').send('This site may not embed the chat.');
      return;
    }
    res.removeHeader('X-Frame-Options'); // superseded by frame-ancestors, which can list sites
    res.setHeader('Content-Security-Policy', frameCsp(await widgetFrameAncestors(ctx, site)));
    files.send(req, res, 'dist/app/index.html', 'no-cache');
  });

  // Hashed file names: a new build is a new URL, so these never need revalidating.
  router.get('/widget/assets/:file', (req, res) => {
    files.send(
      req,
      res,
      `dist/app/assets/${basename(req.params.file)}`,
      'public, max-age=31536000, immutable',
    );
  });

  router.get(['/demo', '/demo/'], (req, res) => {
    res.setHeader('Content-Security-Policy', demoCsp);
    files.send(req, res, 'demo/index.html', 'no-cache');
  });
  router.get('/demo/:file', (req, res) => {
    files.send(req, res, `demo/${basename(req.params.file)}`, 'no-cache');
  });

  return router;
}

/** Strict like the rest of the app, no inline code, framed only by the allowed sites. */
const frameCsp = (ancestors: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');

/** The demo is a page of Parley's own: it frames only the chat, and nobody frames it. */
const demoCsp = frameCsp("'none'").replace(
  "form-action 'none'",
  "frame-src 'self'; form-action 'none'",
);

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Where @parley/widget is installed (a workspace link in development, a folder in an image). */
function widgetDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('@parley/widget/package.json'));
  } catch {
    return null;
  }
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
};

type CachedFile = {
  mtimeMs: number;
  type: string;
  etag: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
};

/** Small static files, compressed once per version on disk. */
class FileCache {
  private readonly files = new Map<string, CachedFile>();
  constructor(private readonly root: string | null) {}

  send(req: Request, res: Response, path: string, cacheControl: string): void {
    const file = this.get(path);
    if (!file) {
      res.status(404).type('text/plain').send('Not found. Is the widget built (npm run build)?');
      return;
    }
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('ETag', file.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.get('if-none-match') === file.etag) {
      res.status(304).end();
      return;
    }
    const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
    if (encoding === 'br' || encoding === 'gzip') res.setHeader('Content-Encoding', encoding);
    res.send(encoding === 'br' ? file.br : encoding === 'gzip' ? file.gzip : file.raw);
  }

  private get(path: string): CachedFile | null {
    if (!this.root) return null;
    const full = join(this.root, path);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(full).mtimeMs;
    } catch {
      return null;
    }
    const cached = this.files.get(full);
    if (cached?.mtimeMs === mtimeMs) return cached;
    const raw = readFileSync(full);
    const file: CachedFile = {
      mtimeMs,
      type: contentTypes[extname(full)] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
      raw,
      gzip: gzipSync(raw, { level: 9 }),
      br: brotliCompressSync(raw),
    };
    this.files.set(full, file);
    return file;
  }
}
