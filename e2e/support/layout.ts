import type { Page } from 'playwright-core';

/**
 * Controls (and tables) a person cannot reach without scrolling sideways: outside the screen,
 * or outside a box that clips or scrolls them (a table's scroll box inside a card).
 */
export function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth)
      out.push(`page ${document.documentElement.scrollWidth}px`);
    const controls = document.querySelectorAll<HTMLElement>(
      'button, a[href], input, select, textarea, [tabindex], table',
    );
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || el.closest('.sr-only, [hidden]')) continue;
      const name = `${el.tagName} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}"`;
      if (box.left < -1 || box.right > window.innerWidth + 1) {
        out.push(`${name} ${Math.round(box.left)}-${Math.round(box.right)} of the screen`);
        continue;
      }
      for (let up = el.parentElement; up; up = up.parentElement) {
        if (getComputedStyle(up).overflowX === 'visible') continue;
        const clip = up.getBoundingClientRect();
        if (box.left < clip.left - 1 || box.right > clip.right + 1) {
          out.push(
            `${name} ${Math.round(box.left)}-${Math.round(box.right)} in a box to ${clip.right}`,
          );
          break;
        }
      }
    }
    return out;
  });
}

/** How far the page is wider than the screen, in pixels: 0 when nothing scrolls sideways. */
export const overflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
