import { fileTypeFromBuffer } from 'file-type';
import { FileCategory } from '@parley/protocol';
import { INLINE_IMAGE_TYPES } from '@parley/protocol/file-display';

/** The types each category an admin may allow stands for, read from the bytes. */
const CATEGORY_TYPES: Record<FileCategory, string[]> = {
  images: [...INLINE_IMAGE_TYPES],
  pdf: ['application/pdf'],
  text: ['text/plain', 'text/csv'],
  office: [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/vnd.oasis.opendocument.text',
    'application/vnd.oasis.opendocument.spreadsheet',
    'application/vnd.oasis.opendocument.presentation',
    'application/x-cfb', // .doc, .xls, .ppt
    'application/rtf',
  ],
  archives: [
    'application/zip',
    'application/gzip',
    'application/x-7z-compressed',
    'application/x-rar-compressed',
    'application/vnd.rar',
    'application/x-tar',
  ],
};

/** Shown in the browser rather than downloaded: raster images only, never SVG or HTML. */
export const INLINE_TYPES: ReadonlySet<string> = new Set(INLINE_IMAGE_TYPES);

const decoder = new TextDecoder('utf-8', { fatal: true });
// Text a browser could take for markup, whatever the file is called.
const MARKUP = /<\s*(!doctype|html|svg|script|\?xml|iframe|body|head)\b/i;

/** What the bytes are; text is told from markup, which is never accepted as text. */
export async function detectType(bytes: Buffer, name: string): Promise<string> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return found.mime;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return 'application/octet-stream';
  }
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return 'application/octet-stream';
  if (MARKUP.test(text)) return /<\s*svg\b/i.test(text) ? 'image/svg+xml' : 'text/html';
  return /\.csv$/i.test(name) ? 'text/csv' : 'text/plain';
}

export const categoryOf = (type: string): FileCategory | null =>
  (Object.keys(CATEGORY_TYPES) as FileCategory[]).find((c) => CATEGORY_TYPES[c].includes(type)) ??
  null;

/** The file name with the extension its real type has, when the name claims another. */
export function nameFor(name: string, type: string): string {
  const ext: Record<string, string> = {
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/gif': 'gif',
    'image/webp': 'webp',
    'application/pdf': 'pdf',
  };
  const want = ext[type];
  if (!want) return name;
  const current = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase();
  if (current === want || (want === 'jpg' && current === 'jpeg')) return name;
  return `${name.replace(/\.[a-z0-9]{1,5}$/i, '')}.${want}`;
}
