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
import {
  button,
  card,
  createLauncher,
  frame,
  host,
  setLook,
  setOpen as drawOpen,
  setUnread,
} from './launcher.js';
import { currentPage, watchNavigation } from './page.js';
import { clearStored, openInThisTab, readStored, writeStored } from './site-storage.js';

// Only readable while this script first runs: where widget.js came from is the default apiUrl.
const script = document.currentScript;
const scriptOrigin =
  script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : '';

type Listener = (arg?: unknown) => void;

// The chat `init` made, one at a time; plain variables rather than an object's fields, as every
// byte of this file is downloaded on every page of every site that embeds the chat.
/** `init` has made the launcher and its frame (launcher.ts), and `destroy` not removed them. */
let mounted = false;
let frameOrigin = '';
/** The frame has said it listens (`ready`): messages go straight to it. */
let ready = false;
/** The frame has drawn itself since it last (re)loaded: `ready` was announced to the site. */
let started = false;
let unread = 0;
let open = false;
/** Messages for the frame posted before it was ready, or before `init` made it. */
let queue: HostToFrame[] = [];
/** What `destroy` undoes. */
let stop: Array<() => void> = [];
/** Puts the launcher in the page, so that the frame loads: after the page's load, or when needed. */
let attach = () => {};
/** The language the site asked for with `setLocale`, over init's. */
let chosenLocale: string | undefined;
/** The site's signed-in person (`setUser`), handed to each frame that starts, until `reset`. */
let user: WidgetUser | undefined;
let hidden = false;
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

function post(message: HostToFrame) {
  const target = mounted && frame.contentWindow;
  if (ready && target) target.postMessage(envelope(message), frameOrigin);
  else queue.push(message);
}

/** Loads the frame again: after a change of visitor, nothing of the last one stays in memory. */
function restart() {
  ready = started = false;
  unread = 0;
  setUnread(0, null);
  // The new page starts closed: it is told the chat is open, as on the site's next page.
  if (open) queue.push({ type: 'open', focus: false });
  // Replaced, not navigated: the site's back button must not step through the chat's reloads.
  frame.contentWindow?.location.replace(frame.src);
}

/** `by`: who opens or closes it. Only the visitor's own action moves focus. */
function setOpen(next: boolean, by: 'visitor' | 'frame' | 'restore' = 'visitor') {
  if (!mounted || open === next) return;
  open = next;
  attach();
  openInThisTab.set(open);
  drawOpen(open);
  if (by !== 'frame') post(open ? { type: 'open', focus: by === 'visitor' } : { type: 'close' });
  if (open && by === 'visitor') frame.focus();
  // Closed from inside the chat: focus goes back where it came from, the launcher.
  else if (!open && by === 'frame') button.focus();
  emit(open ? 'open' : 'close');
}

function setHidden(hide: boolean) {
  hidden = hide;
  if (mounted) host.style.display = hide ? 'none' : '';
}

function onFrameMessage(options: WidgetInitOptions, message: FrameToHost) {
  // After a restart, the old page's last words (its `store`s) would undo a reset.
  if (!ready && message.type !== 'ready') return;
  switch (message.type) {
    case 'ready': {
      ready = true;
      // apiUrl and site are the loader's (the site's key is in the frame's address).
      const { apiUrl: _loaderOnly, ...frameOptions } = options;
      if (chosenLocale) frameOptions.locale = chosenLocale;
      const queued = queue;
      queue = [];
      post({
        type: 'init',
        options: frameOptions,
        page: currentPage(),
        stored: readStored(),
        user,
      });
      return queued.forEach(post);
    }
    case 'look':
      setLook(message.look);
      if (openInThisTab.get()) setOpen(true, 'restore');
      if (started) return;
      started = true;
      return emit('ready');
    case 'store':
      return writeStored(message.key, message.value);
    case 'unread':
      setUnread(message.count, message.preview ?? null);
      if (unread === message.count) return;
      unread = message.count;
      return emit('unread', unread);
    case 'message':
      return emit('message', message.message);
    case 'close':
      return setOpen(false, 'frame');
    case 'closed':
      return emit('conversation.closed', { conversationId: message.conversationId });
    case 'warn':
      return warn(message.text);
    case 'restart':
      return restart();
  }
}

function init(options: WidgetInitOptions = {}) {
  try {
    // Set only when it parses: a bad apiUrl leaves the chat that runs as it is.
    frameOrigin = new URL(options.apiUrl ?? scriptOrigin).origin;
  } catch {
    return warn('init: apiUrl is not a URL');
  }
  // Calls made before the first `init` (the site's `setVisitor`, say) stay queued for its frame.
  destroy();
  // The key is the site's own word, checked by the server: nothing to encode (a-z, 0-9, -).
  createLauncher(
    `${frameOrigin}/widget/?origin=${encodeURIComponent(location.origin)}&site=${options.site ?? ''}`,
  );
  mounted = true;
  const page = host;
  let attached = false;
  attach = () => {
    if (attached) return;
    attached = true;
    const append = () => document.body.append(page);
    // Before the body exists (`open()` from a script in the head): once it does.
    if (document.body) append();
    else addEventListener('DOMContentLoaded', append);
  };
  setHidden(hidden);

  const onMessage = (event: MessageEvent) => {
    // Only the frame we made, from the origin we loaded it from.
    if (event.origin !== frameOrigin || event.source !== frame.contentWindow) return;
    const message = readFrameToHost(event.data);
    if (message) onFrameMessage(options, message);
  };
  addEventListener('message', onMessage);
  button.addEventListener('click', () => setOpen(!open));
  card.addEventListener('click', () => setOpen(true));
  stop = [
    () => removeEventListener('message', onMessage),
    watchNavigation((page) => post({ type: 'page', page })),
    // The frame (the chat app, the visitor's session and socket) costs the page nothing while
    // it loads: it starts once the page has loaded, when the browser has nothing else to do.
    afterPageLoad(attach),
  ];
}

function destroy() {
  if (!mounted) return;
  stop.forEach((fn) => fn());
  host.remove();
  mounted = false;
  ready = started = open = false;
  unread = 0;
  queue = [];
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
    if (ready) post({ type: 'user', user });
  },
  setVisitor: (visitor) => post({ type: 'visitor', visitor }),
  setCustomAttributes(value) {
    const attributes = plain(value);
    if (!isObject(attributes)) return warn('setCustomAttributes: an object is needed');
    post({ type: 'attributes', attributes });
  },
  setLocale(locale) {
    if (typeof locale != 'string') return warn('setLocale: a language tag is needed');
    chosenLocale = locale;
    // A frame not ready yet gets the latest with `init`.
    if (ready) post({ type: 'locale', locale });
  },
  reset() {
    user = undefined;
    clearStored();
    if (mounted) restart();
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
    if (event === 'ready' && started) fn();
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
