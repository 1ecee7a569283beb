import {
  envelope,
  readFrameToHost,
  WIDGET_EVENTS,
  type FrameToHost,
  type HostToFrame,
  type LiveChatWidgetApi,
  type LiveChatWidgetStub,
  type WidgetInitOptions,
  type WidgetUser,
} from '@parley/protocol/widget-frame';
import { afterPageLoad } from './idle.js';
import { createLauncher, type Launcher } from './launcher.js';
import { currentPage, watchNavigation } from './page.js';
import { clearStored, openInThisTab, readStored, writeStored } from './site-storage.js';

// Only readable while this script first runs: where widget.js came from is the default apiUrl.
const script = document.currentScript;
const scriptOrigin =
  script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : '';

type Mounted = {
  launcher: Launcher;
  frameOrigin: string;
  ready: boolean;
  /** The frame has drawn itself since it last (re)loaded: `ready` was announced. */
  started: boolean;
  unread: number;
  /** Messages for the frame posted before it said it was ready. */
  queue: HostToFrame[];
  open: boolean;
  /** Put in the page, so that the frame loads: after the page's load, or at once when needed. */
  attach(): void;
  stop: Array<() => void>;
};

type Listener = (arg?: unknown) => void;

let mounted: Mounted | null = null;
/** The language the site asked for with `setLocale`, over init's. */
let chosenLocale: string | undefined;
/** The site's signed-in person (`setUser`), handed to each frame that starts, until `reset`. */
let user: WidgetUser | undefined;
let hidden = false;
/** Messages for a frame that `init` has not made yet. */
let pending: HostToFrame[] = [];
const events = WIDGET_EVENTS.split(' ');
const listeners = new Map<string, Set<Listener>>();

// Misuse is said in the site's console, never thrown: a mistake in a call must not break the
// site's own script, nor the calls queued after it.
const warn = (text: string) => console.warn(`LiveChatWidget: ${text}`);

/** A copy with only what JSON keeps (functions and the like go): what postMessage can carry. */
const plain = (value: unknown): unknown => {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v == 'object' && v !== null && !Array.isArray(v);
/** Its id only: the frame's server checks the rest, and says what is wrong in a warning. */
const isUser = (v: unknown): v is WidgetUser => isObject(v) && typeof v.id == 'string';

function emit(event: string, arg?: unknown) {
  listeners.get(event)?.forEach((fn) => {
    try {
      fn(arg);
    } catch (error) {
      console.error(error);
    }
  });
}

function post(m: Mounted, message: HostToFrame) {
  const target = m.launcher.frame.contentWindow;
  if (!m.ready || !target) return void m.queue.push(message);
  target.postMessage(envelope(message), m.frameOrigin);
}

const send = (message: HostToFrame) => (mounted ? post(mounted, message) : pending.push(message));

/** Loads the frame again: after a change of visitor, nothing of the last one stays in memory. */
function restart(m: Mounted) {
  m.ready = m.started = false;
  m.unread = 0;
  m.launcher.setUnread(0, null);
  // The new page starts closed: it is told the chat is open, as on the site's next page.
  if (m.open) m.queue.push({ type: 'open', focus: false });
  // Replaced, not navigated: the site's back button must not step through the chat's reloads.
  const { frame } = m.launcher;
  frame.contentWindow?.location.replace(frame.src);
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
  emit(open ? 'open' : 'close');
}

function setHidden(hide: boolean) {
  hidden = hide;
  if (mounted) mounted.launcher.host.style.display = hide ? 'none' : '';
}

function onFrameMessage(m: Mounted, options: WidgetInitOptions, message: FrameToHost) {
  // After a restart, the old page's last words (its `store`s) would undo a reset.
  if (!m.ready && message.type !== 'ready') return;
  switch (message.type) {
    case 'ready': {
      m.ready = true;
      const { apiUrl: _loaderOnly, ...frameOptions } = options;
      if (chosenLocale) frameOptions.locale = chosenLocale;
      post(m, {
        type: 'init',
        options: frameOptions,
        page: currentPage(),
        stored: readStored(),
        user,
      });
      m.queue.splice(0).forEach((queued) => post(m, queued));
      return;
    }
    case 'look':
      m.launcher.setLook(message.look);
      if (openInThisTab.get()) setOpen(true, 'restore');
      if (m.started) return;
      m.started = true;
      return emit('ready');
    case 'store':
      return writeStored(message.key, message.value);
    case 'unread':
      m.launcher.setUnread(message.count, message.preview ?? null);
      if (m.unread === message.count) return;
      m.unread = message.count;
      return emit('unread', m.unread);
    case 'message':
      return emit('message', message.message);
    case 'close':
      return setOpen(false, 'frame');
    case 'closed':
      return emit('conversation.closed', { conversationId: message.conversationId });
    case 'warn':
      return warn(message.text);
    case 'restart':
      return restart(m);
  }
}

function init(options: WidgetInitOptions = {}) {
  let frameOrigin: string;
  try {
    frameOrigin = new URL(options.apiUrl ?? scriptOrigin).origin;
  } catch {
    return warn('init: apiUrl is not a URL');
  }
  destroy();
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
    started: false,
    unread: 0,
    queue: pending,
    open: false,
    attach,
    stop: [],
  };
  pending = [];
  mounted = m;
  setHidden(hidden);

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
  show: () => setHidden(false),
  hide: () => setHidden(true),
  setUser(value) {
    const u = plain(value);
    // A number is taken as its decimal text, which is what the site signs.
    if (isObject(u) && typeof u.id == 'number') u.id = String(u.id);
    if (!isUser(u)) return warn('setUser: id is needed');
    user = u;
    if (mounted?.ready) post(mounted, { type: 'user', user });
  },
  setVisitor: (visitor) => send({ type: 'visitor', visitor }),
  setCustomAttributes(value) {
    const attributes = plain(value);
    if (!isObject(attributes)) return warn('setCustomAttributes: an object is needed');
    send({ type: 'attributes', attributes });
  },
  setLocale(locale) {
    if (typeof locale != 'string') return warn('setLocale: a language tag is needed');
    chosenLocale = locale;
    // A frame not ready yet gets the latest with `init`.
    if (mounted?.ready) post(mounted, { type: 'locale', locale });
  },
  reset() {
    user = undefined;
    clearStored();
    if (mounted) restart(mounted);
  },
  // Typed loosely here: the API's method signatures check the site's calls, bivariantly.
  on(event: string, fn: Listener) {
    if (!events.includes(event) || typeof fn != 'function') {
      warn(`on: a function for one of ${WIDGET_EVENTS}`);
      return () => {};
    }
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set.add(fn));
    // Added once the chat had started: it is told at once, as it would have been.
    if (event === 'ready' && mounted?.started) fn();
    return () => void set.delete(fn);
  },
  off(event: string, fn: Listener) {
    listeners.get(event)?.delete(fn);
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
    if (typeof fn != 'function') warn(`${method} is not a method`);
    else
      try {
        fn.apply(api, args);
      } catch (error) {
        warn(String(error));
      }
  }
}
