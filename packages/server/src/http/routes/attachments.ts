import { IdParams, MAX_FILE_MB, UploadQuery } from '@parley/protocol';
import express, { Router } from 'express';
import { attachmentUrl, uploadAttachment } from '../../services/attachments.js';
import type { Context } from '../../context.js';
import { enforce, limits } from '../../services/rate-limit.js';
import { actorOf, authenticate } from '../auth.js';
import { badRequest } from '../../errors.js';
import { parse } from '../validate.js';

export function attachmentRoutes(ctx: Context): Router {
  const router = Router();
  const anyone = authenticate(ctx, 'anyone');
  // The bytes as they are; the admin's limit (at most MAX_FILE_MB) is checked by the service.
  const raw = express.raw({ type: () => true, limit: `${MAX_FILE_MB}mb` });

  // PUT to an id of the client's: 201 when stored now, 200 for a retry of the same upload.
  router.put('/:id', anyone, async (req, res, next) => {
    const actor = actorOf(res);
    const { id } = parse(IdParams, req.params);
    const { name } = parse(UploadQuery, req.query);
    await enforce(ctx.rateLimiter, [[`uploads:${actor.kind}:${actor.id}`, limits.uploadsPerActor]]);
    raw(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (!Buffer.isBuffer(req.body)) {
        return next(badRequest("Send the file's bytes as application/octet-stream"));
      }
      uploadAttachment(ctx, actor, id, name, req.body).then(
        ({ attachment, created }) => res.status(created ? 201 : 200).json({ attachment }),
        next,
      );
    });
  });

  router.get('/:id/url', anyone, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await attachmentUrl(ctx, actorOf(res), id));
  });

  return router;
}
