import { FileQuery, IdParams } from '@parley/protocol';
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { openSignedFile } from '../services/attachments.js';
import type { Context } from '../context.js';
import { parse } from './validate.js';

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
  router.get('/files/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const query = parse(FileQuery, req.query);
    const file = await openSignedFile(ctx, id, query);
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
      ctx.log.warn({ err: error, file: id }, 'file download interrupted');
      res.destroy();
    });
  });
  return router;
}
