import { routes } from '@parley/protocol/api-routes';
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Context } from '../context.js';
import { openSignedFile } from '../services/attachments.js';
import { routeOn } from './route.js';

/** `filename="…"` for old clients (ASCII), `filename*` with the real name (RFC 6266). */
const disposition = (kind: 'inline' | 'attachment', name: string) =>
  `${kind}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * `GET /files/:id?expires=&signature=`: a file's bytes behind a short-lived signed link (see
 * services/attachments.ts). Raster images are shown inline; everything else is a download,
 * never rendered (SVG and HTML are refused at upload anyway). The response may run nothing:
 * a sandboxing CSP, nosniff, and no caching past the link's life.
 */
export function fileRoutes(ctx: Context): Router {
  const router = Router();
  const route = routeOn(ctx, router, '');
  route(routes.downloadFile, async ({ params, query }, res) => {
    const file = await openSignedFile(ctx, params.id, query);
    res.setHeader('Content-Type', file.row.contentType);
    res.setHeader('Content-Length', String(file.row.size));
    res.setHeader(
      'Content-Disposition',
      disposition(file.inline ? 'inline' : 'attachment', file.row.name),
    );
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=300');
    // The link is the permission: a dashboard on another origin may show the image.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    await pipeline(file.body, res).catch((error: unknown) => {
      ctx.log.warn({ err: error, file: params.id }, 'file download interrupted');
      res.destroy();
    });
  });
  return router;
}
