/** Larger images are refused: a small file can decode to gigabytes (a "decompression bomb"). */
export const MAX_PIXELS = 50_000_000;

export type CleanImage = { bytes: Buffer; width: number; height: number };

/** An image whose header says it is larger than Parley decodes: refused for its size. */
export class ImageTooLarge extends Error {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super(`${width} × ${height} pixels is more than ${MAX_PIXELS} pixels`);
  }
}

/**
 * An image as Parley keeps it: turned upright by its EXIF orientation, then written again
 * without any metadata, so no location (GPS), camera or comment a phone stored survives.
 * GIFs are kept as they are (they carry no EXIF); only their size is read.
 */
export async function cleanImage(bytes: Buffer, type: string): Promise<CleanImage> {
  // Loaded for the first image, not at start: sharp brings libvips, tens of MB of native code.
  const { default: sharp } = await import('sharp');
  const animated = type === 'image/gif';
  // The header tells the size before anything is decoded (reading it decodes nothing, so the
  // limit is off for it): too large is said as such, not as an image that could not be read,
  // which is all the decoder's own limit would say.
  const meta = await sharp(bytes, { limitInputPixels: false, animated }).metadata();
  const input = sharp(bytes, { limitInputPixels: MAX_PIXELS, animated });
  const { width = 0, height = 0 } = meta;
  if (width * height > MAX_PIXELS) throw new ImageTooLarge(width, meta.pageHeight ?? height);
  if (type === 'image/gif') {
    return { bytes, width, height: meta.pageHeight ?? height };
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
