/** Larger images are refused: a small file can decode to gigabytes (a "decompression bomb"). */
const MAX_PIXELS = 50_000_000;

export type CleanImage = { bytes: Buffer; width: number; height: number };

/**
 * An image as Parley keeps it: turned upright by its EXIF orientation, then written again
 * without any metadata, so no location (GPS), camera or comment a phone stored survives.
 * GIFs are kept as they are (they carry no EXIF); only their size is read.
 */
export async function cleanImage(bytes: Buffer, type: string): Promise<CleanImage> {
  // Loaded for the first image, not at start: sharp brings libvips, tens of MB of native code.
  const { default: sharp } = await import('sharp');
  const input = sharp(bytes, { limitInputPixels: MAX_PIXELS, animated: type === 'image/gif' });
  if (type === 'image/gif') {
    const meta = await input.metadata();
    return { bytes, width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0 };
  }
  const upright = input.rotate();
  const encoded =
    type === 'image/png'
      ? upright.png()
      : type === 'image/webp'
        ? upright.webp({ quality: 90 })
        : upright.jpeg({ quality: 90, mozjpeg: true });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}
