// How a file is shown, the same in the widget, the dashboard and the server. No zod here: the
// widget imports it (`@parley/protocol/file-display`) and its budget is small.

/** Raster images, which the server serves inline and clients preview; never SVG or HTML. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const isInlineImage = (contentType: string): boolean =>
  (INLINE_IMAGE_TYPES as readonly string[]).includes(contentType);

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** "512 B", "1.2 MB", "14 MB": one decimal below ten, whole numbers above, as file managers do. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  // 1023.96 KB would round to "1024 KB": say "1 MB" as the next unit would.
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  if (shown >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${shown} ${UNITS[unit]}`;
}
