import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  defaultFileSettings,
  FileSettings,
  type Attachment,
  type AttachmentUrlReply,
  type FileQuery,
  type FileSettingsPatch,
} from '@parley/protocol';
import {
  attachmentVisitor,
  findAttachment,
  findAttachments,
  insertAttachment,
  toAttachment,
  type AttachmentRow,
} from '../db/attachments.js';
import type { MessageAttachment } from '../db/schema.js';
import { getSetting, putSetting } from '../db/settings.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors.js';
import { cleanImage, ImageTooLarge, MAX_PIXELS } from '../files/images.js';
import { categoryOf, detectType, INLINE_TYPES, nameFor } from '../files/types.js';
import { requireAdmin, type Actor, type AgentActor } from './actor.js';
import { changedAny, changeOf, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';

const FILES = 'files';
/** A download link works this long. */
export const URL_TTL_SECONDS = 300;
const MB = 1024 * 1024;

export async function getFileSettings(ctx: Context): Promise<FileSettings> {
  const stored = await getSetting(ctx.db, FILES);
  const parsed = FileSettings.safeParse({
    ...defaultFileSettings,
    ...(typeof stored === 'object' ? stored : {}),
  });
  return parsed.success ? parsed.data : defaultFileSettings;
}

export async function patchFileSettings(
  ctx: Context,
  actor: AgentActor,
  patch: FileSettingsPatch,
  origin: RequestOrigin,
): Promise<FileSettings> {
  requireAdmin(actor);
  const before = await getFileSettings(ctx);
  const next = { ...before, ...patch };
  await putSetting(ctx.db, FILES, next);
  const change = changeOf(before, next);
  if (changedAny(change)) {
    await recordAudit(ctx, actor, origin, 'file_settings.changed', FILES, change);
  }
  return next;
}

const LABELS: Record<string, string> = {
  'text/html': 'an HTML page',
  'image/svg+xml': 'an SVG image',
  'application/octet-stream': 'a file of unknown type',
};

/**
 * Stores an upload under the id the client chose, so a retry after a lost answer is the same
 * file, not a second one. The type is read from the bytes, checked against what the admin
 * allows; images lose their metadata (a phone's GPS position) before they are kept.
 */
export async function uploadAttachment(
  ctx: Context,
  actor: Actor,
  id: string,
  name: string,
  bytes: Buffer,
): Promise<{ attachment: Attachment; created: boolean }> {
  const existing = await findAttachment(ctx.db, id);
  if (existing) return { attachment: ownedBy(existing, actor), created: false };
  const settings = await getFileSettings(ctx);
  if (bytes.length > settings.maxMb * MB) {
    throw new AppError('payload_too_large', `Files may be up to ${settings.maxMb} MB`);
  }
  if (bytes.length === 0) throw badRequest('The file is empty');
  const type = await detectType(bytes, name);
  const category = categoryOf(type);
  if (!category || !settings.types.includes(category)) {
    const what = LABELS[type] ?? type;
    throw new AppError('unsupported_file', `This kind of file is not accepted (${what})`, {
      contentType: type,
      accepted: settings.types,
    });
  }
  const image =
    category === 'images'
      ? await cleanImage(bytes, type).catch((error: unknown) => {
          throw imageRefusal(error);
        })
      : null;
  const body = image?.bytes ?? bytes;
  const now = new Date();
  const storageKey = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
  await ctx.files.put(storageKey, body, type);
  const row = await insertAttachment(ctx.db, {
    id,
    uploaderKind: actor.kind,
    uploaderId: actor.id,
    name: nameFor(name, type),
    contentType: type,
    size: body.length,
    width: image?.width ?? null,
    height: image?.height ?? null,
    storageKey,
  });
  if (row) return { attachment: toAttachment(row), created: true };
  // The same id stored meanwhile (a retry racing its original): that one is the file.
  const raced = await findAttachment(ctx.db, id);
  if (!raced) throw conflict('The upload changed; try again');
  return { attachment: ownedBy(raced, actor), created: false };
}

function ownedBy(row: AttachmentRow, actor: Actor): Attachment {
  if (row.uploaderKind !== actor.kind || row.uploaderId !== actor.id) {
    throw conflict('This file id is taken');
  }
  return toAttachment(row);
}

/**
 * The files a message sends, as it will carry them: each must be an upload of the sender's.
 * One already sent is allowed (a resend of its message finds the message already stored).
 */
export async function attachmentsToSend(
  ctx: Context,
  actor: Actor,
  ids: string[] | undefined,
): Promise<MessageAttachment[] | null> {
  if (!ids?.length) return null;
  const rows = await findAttachments(ctx.db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row || row.uploaderKind !== actor.kind || row.uploaderId !== actor.id) {
      throw badRequest('A file of this message was not uploaded', { attachmentId: id });
    }
    return toAttachment(row);
  });
}

/** Whether the actor may read the file: agents all; a visitor their uploads and their chats'. */
async function readable(ctx: Context, actor: Actor, id: string): Promise<AttachmentRow> {
  const row = await findAttachment(ctx.db, id);
  if (!row) throw notFound('File');
  if (actor.kind === 'agent') return row;
  if (row.uploaderKind === 'visitor' && row.uploaderId === actor.id) return row;
  if (row.conversationId && (await attachmentVisitor(ctx.db, row.conversationId)) === actor.id) {
    return row;
  }
  throw notFound('File');
}

const sign = (ctx: Context, id: string, expires: number) =>
  createHmac('sha256', ctx.tokens.subkey('files')).update(`${id}.${expires}`).digest('base64url');

/** A link to the file's bytes for whoever may read it, working for a few minutes. */
export async function attachmentUrl(
  ctx: Context,
  actor: Actor,
  id: string,
): Promise<AttachmentUrlReply> {
  await readable(ctx, actor, id);
  const expires = Math.floor(Date.now() / 1000) + URL_TTL_SECONDS;
  return {
    url: `/files/${id}?expires=${expires}&signature=${sign(ctx, id, expires)}`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

export type OpenFile = { row: AttachmentRow; body: Readable; inline: boolean };

/** The bytes behind a signed link: refused when the link is forged or has expired. */
export async function openSignedFile(ctx: Context, id: string, q: FileQuery): Promise<OpenFile> {
  const expected = Buffer.from(sign(ctx, id, q.expires));
  const given = Buffer.from(q.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw forbidden('This link is not valid');
  }
  if (q.expires * 1000 < Date.now()) throw forbidden('This link has expired; open the file again');
  const row = await findAttachment(ctx.db, id);
  const body = row && (await ctx.files.get(row.storageKey));
  if (!row || !body) throw notFound('File');
  return { row, body, inline: INLINE_TYPES.has(row.contentType) };
}

/** Why an image was refused: its size, when its header says it is too large, or unreadable. */
function imageRefusal(error: unknown): AppError {
  if (error instanceof ImageTooLarge) {
    const megapixels = (n: number) => Math.round(n / 1_000_000);
    return new AppError(
      'unsupported_file',
      `This image is too large: ${error.width} × ${error.height} pixels ` +
        `(${megapixels(error.width * error.height)} megapixels); images may have up to ` +
        `${megapixels(MAX_PIXELS)} megapixels`,
      { width: error.width, height: error.height, maxPixels: MAX_PIXELS },
    );
  }
  return new AppError('unsupported_file', 'This image could not be read');
}
