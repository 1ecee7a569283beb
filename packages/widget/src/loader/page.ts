import type { PageInfo } from '@parley/protocol/widget-frame';

export const currentPage = (): PageInfo => ({ url: location.href, title: document.title });

/**
 * Calls `onPage` after each history navigation of a single-page site: pushState (wrapped, as
 * no event announces it) and popstate. Returns the function that undoes both.
 */
export function watchNavigation(onPage: (page: PageInfo) => void): () => void {
  // The site usually sets the new title just after navigating: read it on the next task.
  const report = () => setTimeout(() => onPage(currentPage()), 0);
  const original = history.pushState;
  const wrapped: typeof history.pushState = function (this: History, ...args) {
    original.apply(this, args);
    report();
  };
  history.pushState = wrapped;
  addEventListener('popstate', report);
  return () => {
    // Another script may have wrapped it after us; then leave its wrapper in place.
    if (history.pushState === wrapped) history.pushState = original;
    removeEventListener('popstate', report);
  };
}
