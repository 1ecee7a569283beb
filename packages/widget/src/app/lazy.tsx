import { useEffect, useState } from 'preact/hooks';
import { useLanguage } from './i18n.js';

// Parts of the chat that most visitors never use (files, the rating form, the transcript, the
// site's setUser) are chunks of their own, fetched when first needed, so that what every visitor
// downloads stays small (issue 33; budgets in bench/size.mjs).

/** A chunk fetched once, when first asked for. */
export type Part<T> = {
  load(): Promise<T>;
  /** The chunk's exports once they have arrived. */
  loaded(): T | undefined;
};

/**
 * A part: its module and, when it has one, its stylesheet (`./x.css?url`), fetched side by side
 * and ready together, so that it never shows unstyled. A failed fetch (the network blinked, a
 * deploy replaced the files) is forgotten rather than kept: the next use asks again instead of
 * failing for the rest of the page's life.
 */
export function part<T>(fetch: () => Promise<T>, stylesheet?: string): Part<T> {
  let module: T | undefined;
  let loading: Promise<T> | undefined;
  // Kept once it applies: the module alone may have failed.
  let styled: Promise<void> | undefined;
  const style = () =>
    stylesheet &&
    (styled ??= addStylesheet(stylesheet).catch((error: unknown) => {
      styled = undefined;
      throw error;
    }));
  return {
    load: () =>
      (loading ??= Promise.all([fetch(), style()]).then(
        ([m]) => (module = m),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )),
    loaded: () => module,
  };
}

/**
 * Resolves once the stylesheet applies. One that fails leaves the page, so that the next try
 * fetches it again (Vite's own loader for a chunk's CSS would take it for there, and show the
 * part unstyled: hence the parts' CSS is theirs to load).
 */
function addStylesheet(href: string): Promise<void> {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  return new Promise((resolve, reject) => {
    link.onload = () => resolve();
    link.onerror = () => {
      link.remove();
      reject(new Error(`${href} could not be loaded`));
    };
    document.head.append(link);
  });
}

/**
 * The part's exports once loaded, fetching it while `wanted`; until then undefined, and
 * `failed` when the fetch failed, with `retry` for the visitor's button.
 */
export function usePart<T>(
  chunk: Part<T>,
  wanted = true,
): { module: T | undefined; failed: boolean; retry(): void } {
  const [module, setModule] = useState(chunk.loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!wanted || module) return;
    let live = true;
    chunk.load().then(
      (m) => live && setModule(() => m),
      () => live && setFailed(true),
    );
    return () => void (live = false);
  }, [wanted, attempt]);
  return {
    module,
    failed,
    retry: () => {
      setFailed(false);
      setAttempt((n) => n + 1);
    },
  };
}

/** Said where a part could not be fetched, with the button that asks again. */
export function PartFailed({ retry }: { retry(): void }) {
  const { t } = useLanguage();
  return (
    <p class="error" role="alert">
      {t.partFailed}{' '}
      <button type="button" class="link" onClick={retry}>
        {t.retry}
      </button>
    </p>
  );
}
