/** Hands bytes made or fetched by the page to the browser as a download named `name`. */
export function saveFile(blob: Blob, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  // Revoked once the browser has surely begun reading it: at once can cut a large file short.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
