import {
  envelope,
  readFrameToHost,
  type FrameToHost,
  type HostToFrame,
  type LiveChatWidgetApi,
  type LiveChatWidgetStub,
  type WidgetEvents,
  type WidgetInitOptions,
} from '@parley/protocol/widget-frame';
import { afterPageLoad } from './idle.js';
import { createLauncher, type Launcher } from './launcher.js';
import { currentPage, watchNavigation } from './page.js';
import { openInThisTab, readStored, writeStored } from './site-storage.js';

// Only readable while this script first runs: where widget.js came from is the default apiUrl.
const script = document.currentScript;
const scriptOrigin =
  script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : '';

type Mounted = {
  launcher: Launcher;
  frameOrigin: string;
  ready: boolean;
  /** Messages for the frame posted before it said it was ready. */
  queue: HostToFrame[];
  open: boolean;
  /** Put in the page, so that the frame loads: after the page's load, or at once when needed. */
  attach(): void;
  stop: Array<() => void>;
};

let mounted: Mounted | null = null;
/** The language the site asked for with `setLocale`, over init's. */
let chosenLocale: string | undefined;
const listeners: { [E in keyof WidgetEvents]: Set<WidgetEvents[E]> } = {
  message: new Set(),
  open: new Set(),
  close: new Set(),
};

function post(m: Mounted, message: HostToFrame) {
  const target = m.launcher.frame.contentWindow;
  if (!m.ready || !target) return void m.queue.push(message);
  target.postMessage(envelope(message), m.frameOrigin);
}

/** `by`: who opens or closes it. Only the visitor's own action moves focus. */
function setOpen(open: boolean, by: 'visitor' | 'frame' | 'restore' = 'visitor') {
  const m = mounted;
  if (!m || m.open === open) return;
  m.open = open;
  m.attach();
  openInThisTab.set(open);
  m.launcher.setOpen(open);
  if (by !== 'frame') post(m, open ? { type: 'open', focus: by === 'visitor' } : { type: 'close' });
  if (open && by === 'visitor') m.launcher.frame.focus();
  // Closed from inside the chat: focus goes back where it came from, the launcher.
  else if (!open && by === 'frame') m.launcher.button.focus();
  listeners[open ? 'open' : 'close'].forEach((fn) => fn());
}

function onFrameMessage(m: Mounted, options: WidgetInitOptions, message: FrameToHost) {
  switch (message.type) {
    case 'ready': {
      m.ready = true;
      const { apiUrl: _loaderOnly, ...frameOptions } = options;
      if (chosenLocale) frameOptions.locale = chosenLocale;
      post(m, { type: 'init', options: frameOptions, page: currentPage(), stored: readStored() });
      m.queue.splice(0).forEach((queued) => post(m, queued));
      return;
    }
    case 'look':
      m.launcher.setLook(message.look);
      if (openInThisTab.get()) setOpen(true, 'restore');
      return;
    case 'store':
      return writeStored(message.key, message.value);
    case 'unread':
      return m.launcher.setUnread(message.count, message.preview ?? null);
    case 'message':
      return listeners.message.forEach((fn) => fn(message.message));
    case 'close':
      return setOpen(false, 'frame');
  }
}

function init(options: WidgetInitOptions = {}) {
  if (mounted) destroy();
  const base = options.apiUrl ?? scriptOrigin;
  if (!base) throw new Error('LiveChatWidget.init: apiUrl is required');
  const frameOrigin = new URL(base).origin;
  const launcher = createLauncher(
    `${frameOrigin}/widget/?origin=${encodeURIComponent(location.origin)}`,
  );
  let attached = false;
  const attach = () => {
    if (attached) return;
    attached = true;
    const append = () => document.body.append(launcher.host);
    if (document.body) append();
    else document.addEventListener('DOMContentLoaded', append, { once: true });
  };
  const m: Mounted = {
    launcher,
    frameOrigin,
    ready: false,
    queue: [],
    open: false,
    attach,
    stop: [],
  };
  mounted = m;

  const onMessage = (event: MessageEvent) => {
    // Only the frame we made, from the origin we loaded it from.
    if (event.origin !== frameOrigin || event.source !== launcher.frame.contentWindow) return;
    const message = readFrameToHost(event.data);
    if (message) onFrameMessage(m, options, message);
  };
  addEventListener('message', onMessage);
  launcher.button.addEventListener('click', () => setOpen(!m.open));
  launcher.preview.addEventListener('click', () => setOpen(true));
  m.stop.push(
    () => removeEventListener('message', onMessage),
    watchNavigation((page) => post(m, { type: 'page', page })),
    // The frame (the chat app, the visitor's session and socket) costs the page nothing while
    // it loads: it starts once the page has loaded, when the browser has nothing else to do.
    afterPageLoad(attach),
  );
}

function destroy() {
  if (!mounted) return;
  mounted.stop.forEach((stop) => stop());
  mounted.launcher.host.remove();
  mounted = null;
}

const api: LiveChatWidgetApi = {
  init,
  open: () => setOpen(true),
  close: () => setOpen(false),
  setVisitor: (visitor) => {
    if (mounted) post(mounted, { type: 'visitor', visitor });
  },
  setLocale: (locale) => {
    chosenLocale = locale;
    if (mounted) post(mounted, { type: 'locale', locale });
  },
  on(event, fn) {
    listeners[event].add(fn);
    return () => void listeners[event].delete(fn);
  },
  destroy,
};

declare global {
  interface Window {
    LiveChatWidget: LiveChatWidgetApi | LiveChatWidgetStub;
  }
}

// Loaded async, widget.js usually arrives after the site's first calls: the snippet's stub kept
// them. They are replayed in order, by name, so that a method added later needs no new stub.
const stub = window.LiveChatWidget;
window.LiveChatWidget = api;
if (stub && 'q' in stub && Array.isArray(stub.q)) {
  for (const [method, args] of stub.q) {
    const fn: unknown = Reflect.get(api, method);
    if (typeof fn === 'function') fn.apply(api, args);
  }
}
