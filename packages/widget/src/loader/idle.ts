/** Longest wait for an idle moment once the page has loaded: a busy page still gets the chat. */
const IDLE_TIMEOUT_MS = 3000;

/**
 * Calls `fn` after the page's load event, in the browser's next idle period, so that the chat's
 * downloads and start-up never compete with the page's own. Returns the function that cancels it.
 */
export function afterPageLoad(fn: () => void): () => void {
  let cancelled = false;
  const run = () => {
    if (!cancelled) fn();
  };
  const whenIdle = () => {
    if ('requestIdleCallback' in window) requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(run, 1);
  };
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle);
  // What was scheduled stays so, and does nothing.
  return () => void (cancelled = true);
}
