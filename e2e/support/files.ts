import type { Frame, JSHandle, Page } from 'playwright-core';

/** A DataTransfer holding one file, made in the page: what a drag from the desktop carries. */
export const fileTransfer = (
  target: Page | Frame,
  name: string,
  type: string,
  bytes: Buffer,
): Promise<JSHandle<DataTransfer>> =>
  target.evaluateHandle(
    ({ name, type, b64 }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type }));
      return dt;
    },
    { name, type, b64: bytes.toString('base64') },
  );

/** Waits until `count` images match `selector` and every one has arrived (none broken or empty). */
export const imagesLoaded = (target: Page | Frame, selector: string, count: number) =>
  target.waitForFunction(
    ({ selector, count }) => {
      const images = [...document.querySelectorAll<HTMLImageElement>(selector)];
      return images.length >= count && images.every((i) => i.complete && i.naturalWidth > 0);
    },
    { selector, count },
  );
