import { routes } from '@parley/protocol/api-routes';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Response } from 'express';
import type { Context } from '../../context.js';
import {
  eraseContact,
  exportContact,
  getContact,
  listContacts,
  type ContactExport,
} from '../../services/contacts.js';
import { enforce, limits } from '../../services/rate-limit.js';
import type { Route } from '../route.js';

export function contactRoutes(ctx: Context, route: Route): void {
  route(routes.listContacts, ({ query }) => listContacts(ctx, query));
  route(routes.getContact, ({ params }) => getContact(ctx, params.id));
  route(routes.eraseContact, ({ body, actor, req }) =>
    eraseContact(ctx, actor, body, { ip: req.ip ?? null }),
  );

  route(routes.exportContact, async ({ body, actor, req }, res) => {
    await enforce(ctx.rateLimiter, [[`exports:${actor.id}`, limits.exportsPerAdmin]]);
    const contact = await exportContact(ctx, actor, body, { ip: req.ip ?? null });
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', 'attachment; filename="contact.zip"');
    res.setHeader('Cache-Control', 'no-store');
    await sendZip(ctx, contact, res);
  });
}

/**
 * The zip, written as it is made: the JSON, then each file's bytes from storage (stored as they
 * are: they are mostly compressed already). A file the store no longer has is listed as missing.
 */
async function sendZip(ctx: Context, contact: ContactExport, res: Response): Promise<void> {
  const zip = new Zip((err, chunk, final) => {
    if (err) return res.destroy(err);
    res.write(chunk);
    if (final) res.end();
  });
  const json = new ZipDeflate('contact.json', { level: 6 });
  zip.add(json);
  const missing: string[] = [];
  const files = [];
  for (const file of contact.files) {
    const body = await ctx.files.get(file.storageKey);
    if (body) files.push({ file, body });
    else missing.push(file.id);
  }
  json.push(
    new TextEncoder().encode(JSON.stringify({ ...contact.json, missingFiles: missing }, null, 2)),
    true,
  );
  for (const { file, body } of files) {
    const entry = new ZipPassThrough(`files/${file.id}-${file.name.replace(/[/\\]/g, '_')}`);
    zip.add(entry);
    for await (const chunk of body as AsyncIterable<Buffer>) entry.push(chunk);
    entry.push(new Uint8Array(0), true);
  }
  zip.end();
}
