import type { Page } from 'playwright-core';

/**
 * What went wrong in the pages a test opened: uncaught errors and console errors, each with the
 * page's address. The server's refusals (a 4xx) are logged by the browser itself, not by the
 * page, so they are left out. A file checks `errors` after each test: `expect(errors).toEqual([])`.
 */
export function watchPageErrors() {
  const errors: string[] = [];
  const watched = (page: Page): Page => {
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()))
        errors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  };
  return { errors, watched };
}
