/**
 * Messages between the widget's loader (widget.js, on the customer's page) and the chat iframe
 * (served by Parley). Both sides post with an explicit target origin and accept a message only
 * from the other's origin and window, then check its shape with the guards below.
 *
 * This file imports no zod at run time: the loader's budget is 4 KB gzipped and zod alone is
 * several times that, so the guards are written by hand and kept as small as the messages.
 */

/** Marks Parley's messages among whatever else the host page posts around. */
export const FRAME_CHANNEL = 'parley-widget';

export type WidgetPosition = 'right' | 'left';

/** The languages the widget speaks; its texts for each but English load on demand. */
export const WIDGET_LOCALES = [
  'en',
  'es',
  'fr',
  'de',
  'pt',
  'it',
  'nl',
  'pl',
  'tr',
  'ja',
  'zh',
  'ar',
] as const;
export type WidgetLocaleCode = (typeof WIDGET_LOCALES)[number];
/** Written right to left: the widget's layout is mirrored. */
export const RTL_LOCALES: readonly WidgetLocaleCode[] = ['ar'];

/** Every text the widget shows that a site may reword through `init({ text })`. */
export type WidgetText = {
  title: string;
  greeting: string;
  awayMessage: string;
  launcherLabel: string;
  awayLabel: string;
  inputPlaceholder: string;
};

/** What `LiveChatWidget.init` accepts. Unset fields come from the server's widget settings. */
export type WidgetInitOptions = {
  /** Where Parley runs, such as https://chat.example.com. Default: where widget.js came from. */
  apiUrl?: string;
  /**
   * The site's key, from its snippet in Settings → Sites: the widget then has that site's look,
   * languages, teams and hours. Default: the default site.
   */
  site?: string;
  position?: WidgetPosition;
  /** A hex colour such as #2563eb. */
  color?: string;
  greeting?: string;
  text?: Partial<WidgetText>;
  /**
   * The widget's language, such as 'fr' or 'pt-BR' (matched to the nearest one it speaks).
   * Default: the browser's language, else the admin's default.
   */
  locale?: string;
};

/** The options the loader hands to the frame: init's, without what only the loader needs. */
export type FrameOptions = Omit<WidgetInitOptions, 'apiUrl' | 'site'>;

export type PageInfo = { url: string; title: string };
export type VisitorInfo = { name?: string; email?: string };

/**
 * The site's signed-in person, as `LiveChatWidget.setUser` takes it. `hash`: HMAC-SHA256 of
 * the id (or of the id, a line break and `issuedAt`, in Unix seconds) with the secret of
 * Settings → Identity, made by the site's server. Without a valid hash, `id` reaches no history
 * and name and email are contact details only. The server checks every field (IdentifyBody).
 */
export type WidgetUser = {
  id: string;
  name?: string;
  email?: string;
  hash?: string;
  issuedAt?: number;
};

/** What the launcher needs to draw itself, once the frame has merged init over the settings. */
export type LauncherLook = {
  color: string;
  position: WidgetPosition;
  agentsOnline: boolean;
  launcherLabel: string;
  awayLabel: string;
  /** The button's name while the chat is open. */
  closeLabel: string;
  /** Added to the button's name while messages wait unseen; `{n}` is their number. */
  unreadLabel: string;
  /** The widget's language (BCP 47) and direction, for the launcher's own texts. */
  lang: string;
  dir: 'ltr' | 'rtl';
};

/** The newest unseen agent message, as the closed launcher shows it. */
export type UnreadPreview = { name: string | null; text: string };

/** A new message as `LiveChatWidget.on('message', fn)` hands it to the site. */
export type WidgetMessageEvent = {
  id: string;
  conversationId: string;
  sender: 'visitor' | 'agent' | 'system';
  senderName: string | null;
  content: string;
  createdAt: string;
};

/** What `LiveChatWidget.on(event, fn)` calls `fn` with, by event. */
export type WidgetEvents = {
  /** The chat has started (settings, session): again after `reset()` or a change of user. */
  ready: () => void;
  message: (message: WidgetMessageEvent) => void;
  /** The number of agent messages the visitor has not seen, when it changes. */
  unread: (count: number) => void;
  open: () => void;
  close: () => void;
  /** An agent closed the visitor's conversation. */
  'conversation.closed': (event: { conversationId: string }) => void;
};

/** The events `on` accepts, in the loader's own words (it cannot import a type's keys). */
export const WIDGET_EVENTS = 'ready message unread open close conversation.closed';

/** `window.LiveChatWidget`, as widget.js defines it on the site's page. */
export type LiveChatWidgetApi = {
  init(options?: WidgetInitOptions): void;
  open(): void;
  close(): void;
  /** Shows the launcher (and the chat, if open) again after `hide`. */
  show(): void;
  /** Hides the launcher and the chat; the chat keeps running (presence, messages). */
  hide(): void;
  /** The signed-in person (see WidgetUser); with a valid hash, their history on any device. */
  setUser(user: WidgetUser): void;
  /** Fills in the visitor's name and email (contact details only: see setUser). */
  setVisitor(visitor: VisitorInfo): void;
  /** What the site tells agents about the visitor: short texts (numbers, booleans) by key. */
  setCustomAttributes(attributes: Record<string, string | number | boolean | null>): void;
  /** Switches the widget's language (see `WidgetInitOptions.locale`). */
  setLocale(locale: string): void;
  /** The site's sign-out: forgets the user on this browser and starts a new anonymous visitor. */
  reset(): void;
  /** Returns a function that removes the listener. */
  on<E extends keyof WidgetEvents>(event: E, fn: WidgetEvents[E]): () => void;
  off<E extends keyof WidgetEvents>(event: E, fn: WidgetEvents[E]): void;
  /** Removes the launcher and the iframe, and stops listening; `init` may be called again. */
  destroy(): void;
};

/**
 * What the install snippet's inline stub leaves in `window.LiveChatWidget` until widget.js
 * (loaded async) arrives: every call made on it, as [method, arguments], oldest first. The
 * loader replays them in order, whatever the method (`on` included: a listener added before
 * widget.js arrived hears every event), so new API methods need no new stub.
 */
export type LiveChatWidgetStub = { q: Array<[string, unknown[]]> };

/**
 * The install snippet's inline script, as sites paste it (the dashboard shows it, the demo page
 * and the tests use it), before the site's first `LiveChatWidget.init(...)`:
 * - a stub that keeps every call (see LiveChatWidgetStub). A Proxy, so that any method,
 *   including ones added later, is kept without changing what sites pasted;
 * - widget.js added only after the page's load event, in idle time (as Intercom's snippet
 *   does): the page's first paint and load never wait for Parley, and a browser's estimate of
 *   them (Lighthouse) never counts it.
 */
export function widgetSnippetScript(apiUrl: string): string {
  const src = JSON.stringify(`${apiUrl}/widget.js`);
  return (
    'window.LiveChatWidget=window.LiveChatWidget||new Proxy({q:[]},{get:function(t,k){return k==="q"?t.q:function(){t.q.push([k,[].slice.call(arguments)])}}});' +
    `(function(w,d){function l(){var s=d.createElement("script");s.async=true;s.src=${src};d.head.appendChild(s)}` +
    'function i(){w.requestIdleCallback?w.requestIdleCallback(l,{timeout:3000}):setTimeout(l,1)}' +
    'd.readyState==="complete"?i():w.addEventListener("load",i)})(window,document);'
  );
}

/** Loader -> frame. */
export type HostToFrame =
  /**
   * `stored`: what the frame asked the loader to keep (see `store`), read back from the site's
   * own localStorage. `user`: the site's latest `setUser`, claimed before the chat starts.
   */
  | {
      type: 'init';
      options: FrameOptions;
      page: PageInfo;
      stored: Record<string, string>;
      user?: WidgetUser;
    }
  /** `focus`: false when the chat reopens by itself on the next page, not at the visitor's hand. */
  | { type: 'open'; focus: boolean }
  | { type: 'close' }
  | { type: 'page'; page: PageInfo }
  | { type: 'visitor'; visitor: VisitorInfo }
  /** `setUser` once the chat runs. */
  | { type: 'user'; user: WidgetUser }
  /** `setCustomAttributes`, as the site passed it: the server checks it. */
  | { type: 'attributes'; attributes: Record<string, unknown> }
  | { type: 'locale'; locale: string };

/** Frame -> loader. */
export type FrameToHost =
  /** The frame has loaded and listens; the loader answers with `init`. */
  | { type: 'ready' }
  /** The launcher's look, once the settings are loaded: the launcher shows from then on. */
  | { type: 'look'; look: LauncherLook }
  /**
   * Keep `value` under `key` for the next page (null deletes it). The frame's own storage is
   * third-party storage, which browsers increasingly deny or drop (Chromium with third-party
   * cookies blocked, Safari's tracking prevention), so the visitor's token, the outbox and the
   * like live in the site's first-party localStorage, through the loader.
   */
  | { type: 'store'; key: string; value: string | null }
  /**
   * Agent messages the visitor has not seen, and the newest of them for the launcher to show
   * beside it while the chat is closed (an agent who starts a chat is seen at once).
   */
  | { type: 'unread'; count: number; preview?: UnreadPreview | null }
  | { type: 'message'; message: WidgetMessageEvent }
  /** The visitor closed the chat from inside (close button or Escape). */
  | { type: 'close' }
  /** An agent closed the visitor's conversation. */
  | { type: 'closed'; conversationId: string }
  /** The site misused the API (a bad argument, a refused hash): said in the site's console. */
  | { type: 'warn'; text: string }
  /**
   * This browser's visitor changed (a verified `setUser`): the new token is stored. The loader
   * loads the frame again, so that nothing of the previous visitor stays in memory.
   */
  | { type: 'restart' };

/** A message on the wire: the channel marker around one of the unions above. */
export type FrameEnvelope<T> = { channel: typeof FRAME_CHANNEL; body: T };

export function envelope<T>(body: T): FrameEnvelope<T> {
  return { channel: FRAME_CHANNEL, body };
}

type Shape = Record<string, unknown>;
const isShape = (v: unknown): v is Shape => typeof v === 'object' && v !== null;
const isString = (v: unknown): v is string => typeof v === 'string';

const isPage = (v: unknown) => isShape(v) && isString(v.url) && isString(v.title);

function isHostToFrame(body: unknown): body is HostToFrame {
  if (!isShape(body)) return false;
  switch (body.type) {
    case 'init':
      return (
        isShape(body.options) &&
        isPage(body.page) &&
        isShape(body.stored) &&
        (body.user === undefined || (isShape(body.user) && isString(body.user.id)))
      );
    case 'open':
      return typeof body.focus === 'boolean';
    case 'close':
      return true;
    case 'page':
      return isPage(body.page);
    case 'visitor':
      return isShape(body.visitor);
    case 'user':
      return isShape(body.user) && isString(body.user.id);
    case 'attributes':
      return isShape(body.attributes);
    case 'locale':
      return isString(body.locale);
    default:
      return false;
  }
}

function isFrameToHost(body: unknown): body is FrameToHost {
  if (!isShape(body)) return false;
  switch (body.type) {
    case 'ready':
    case 'close':
    case 'restart':
      return true;
    case 'closed':
      return isString(body.conversationId);
    case 'warn':
      return isString(body.text);
    case 'look':
      return isShape(body.look) && isString(body.look.color);
    case 'unread':
      return (
        typeof body.count === 'number' &&
        (body.preview == null || (isShape(body.preview) && isString(body.preview.text)))
      );
    case 'store':
      return isString(body.key) && (body.value === null || isString(body.value));
    case 'message':
      return isShape(body.message) && isString(body.message.content);
    default:
      return false;
  }
}

/** The body of a Parley envelope, unchecked; undefined for anyone else's message. */
const bodyOf = (data: unknown): unknown =>
  isShape(data) && data.channel === FRAME_CHANNEL ? data.body : undefined;

/** The loader's message if `data` is one, checked field by field; otherwise null. */
export function readHostToFrame(data: unknown): HostToFrame | null {
  const body = bodyOf(data);
  return isHostToFrame(body) ? body : null;
}

/** The frame's message if `data` is one, checked field by field; otherwise null. */
export function readFrameToHost(data: unknown): FrameToHost | null {
  const body = bodyOf(data);
  return isFrameToHost(body) ? body : null;
}
