import { formatSize, isInlineImage as isImage } from '@parley/protocol/file-display';

export { formatSize, isInlineImage as isImage } from '@parley/protocol/file-display';

const MB = 1024 * 1024;

/**
 * Why a file cannot be sent before a byte goes up: the admin's size limit, as the server will
 * check it (maxMb binary megabytes). Null when it may be tried; the type is only known once the
 * server has read the bytes.
 */
export function oversizeReason(file: { name: string; size: number }, maxMb: number): string | null {
  if (file.size <= maxMb * MB) return null;
  return `${file.name} is ${formatSize(file.size)}; files may be up to ${maxMb} MB`;
}

const LABELS: Record<string, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'OpenDocument presentation',
  'application/rtf': 'Rich text',
  'application/zip': 'ZIP',
  'application/gzip': 'GZIP',
  'application/x-7z-compressed': '7-Zip',
  'application/x-rar-compressed': 'RAR',
  'application/vnd.rar': 'RAR',
  'application/x-tar': 'TAR',
};

// Old Office files (.doc, .xls, .ppt) share one container type: only the name tells them apart.
const LEGACY_OFFICE: Record<string, string> = { doc: 'Word', xls: 'Excel', ppt: 'PowerPoint' };

const extensionOf = (name: string) => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase();

/** What kind of file it is, in a word an agent knows: "PDF", "Word", "ZIP", "Text". */
export function typeLabel(contentType: string, name: string): string {
  const known = LABELS[contentType];
  if (known) return known;
  const ext = extensionOf(name);
  if (contentType === 'application/x-cfb') return (ext && LEGACY_OFFICE[ext]) ?? 'Office';
  return ext ? ext.toUpperCase() : 'File';
}

export type FileKind = 'image' | 'pdf' | 'text' | 'sheet' | 'slides' | 'archive' | 'other';

/** Which icon a file card shows. */
export function kindOf(contentType: string, name: string): FileKind {
  // Before the server has read the bytes (a chip still uploading) only the name is known.
  if (isImage(contentType) || (!contentType && /\.(png|jpe?g|gif|webp)$/i.test(name))) {
    return 'image';
  }
  const label = typeLabel(contentType, name);
  if (label === 'PDF') return 'pdf';
  if (['Excel', 'CSV', 'OpenDocument spreadsheet'].includes(label)) return 'sheet';
  if (['PowerPoint', 'OpenDocument presentation'].includes(label)) return 'slides';
  if (['ZIP', 'GZIP', '7-Zip', 'RAR', 'TAR'].includes(label)) return 'archive';
  if (['Text', 'Word', 'OpenDocument text', 'Rich text'].includes(label)) return 'text';
  return 'other';
}

/**
 * An image's box in the message list, at most `max` each way, in its own proportions: known
 * before the bytes arrive (the server measured it), so the list does not jump as images load.
 */
export function thumbnailSize(
  width: number | null,
  height: number | null,
  max = 240,
): { width: number; height: number } {
  if (!width || !height) return { width: max, height: Math.round(max * 0.75) };
  const scale = Math.min(1, max / width, max / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** "sent a file", "sent 3 files": a message's files when it has no text to preview. */
export const filesSent = (count: number): string =>
  count === 1 ? 'sent a file' : `sent ${count} files`;

const GENERIC_PASTE = /^image\.(png|jpe?g|gif|webp)$/i;

/**
 * A pasted screenshot's name: browsers call every one "image.png", so it is named for when it
 * was pasted, which tells several apart in the chat. Pasted files keep their own names.
 */
export function pastedName(name: string, type: string, at: Date): string {
  if (name && !GENERIC_PASTE.test(name)) return name;
  const ext = /^image\/(png|jpeg|gif|webp)$/.exec(type)?.[1]?.replace('jpeg', 'jpg') ?? 'png';
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `screenshot-${date}-${time}.${ext}`;
}
