import type { LauncherLook, UnreadPreview } from '@parley/protocol/widget-frame';

// Styles live in a shadow root so the site's CSS cannot reach the launcher, and ours cannot
// leak out. Under 480 px the open chat takes the whole screen. Written tight: every byte of
// widget.js is downloaded on every page of every site (budget in bench/size.mjs).
const css =
  ':host{all:initial}' +
  '.w>*{position:fixed;right:20px;z-index:2147483000}' +
  '.w.left>*{right:auto;left:20px}' +
  '.l{bottom:20px;width:60px;height:60px;border:0;border-radius:50%;background:var(--c);color:#fff;cursor:pointer;box-shadow:0 4px 16px #00000040;display:grid;place-items:center;transition:transform .2s}' +
  '.l:hover{transform:scale(1.06)}' +
  '.l:focus-visible{outline:3px solid #fff;box-shadow:0 0 0 6px var(--c)}' +
  '.l svg{width:28px;fill:currentColor}' +
  '.b{position:absolute;top:-3px;right:-3px;min-width:10px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui}' +
  '.a{bottom:32px;right:92px;padding:8px 14px;border-radius:18px;background:#fff;color:#1f2937;font:14px/1.2 system-ui;box-shadow:0 2px 10px #0000002e;white-space:nowrap}' +
  '.w.left .a{left:92px}' +
  '.f{bottom:92px;width:376px;height:min(620px,100% - 112px);border:0;border-radius:14px;background:#fff;box-shadow:0 10px 40px #00000040;opacity:0;visibility:hidden;transform:translateY(16px);transition:.2s;transition-property:opacity,transform,visibility}' +
  '.open .f{opacity:1;visibility:visible;transform:none}' +
  '.p{bottom:92px;max-width:min(280px,100% - 40px);padding:10px 14px;border:0;border-radius:12px;background:#fff;color:#1f2937;font:14px/1.35 system-ui;text-align:start;box-shadow:0 4px 16px #0003;cursor:pointer}' +
  '.p b{display:block;margin-bottom:2px}' +
  '.p span{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden;overflow-wrap:anywhere}' +
  '.p:focus-visible{outline:3px solid var(--c)}' +
  '.open .a{display:none}' +
  '@media (max-width:479px){.open .f{inset:0;width:100%;height:100%;border-radius:0}.open .l{display:none}}' +
  '@media (prefers-reduced-motion:reduce){.l,.f{transition:none}.l:hover{transform:none}}';

// In a button named by its aria-label, whose content is presentational: no aria-hidden needed.
const chatIcon =
  '<svg viewBox="0 0 24 24"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg>';
const closeIcon =
  '<svg viewBox="0 0 24 24"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/></svg>';

/**
 * A constructed stylesheet is not inline style in CSP terms, so sites with a strict CSP (no
 * 'unsafe-inline', as Parley's own /demo) still draw the launcher; older browsers get <style>.
 */
function adoptStyles(root: ShadowRoot) {
  if (root.adoptedStyleSheets) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}

const make = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string) => {
  const el = document.createElement(tag);
  el.className = className;
  return el;
};

// One launcher at a time (`init` removes the one before): its parts are this module's, so that
// the minifier shortens their names, as every byte here is downloaded on every page of the site.
/** The element added to the site's page; the rest is in its shadow root. */
export let host: HTMLElement;
export let frame: HTMLIFrameElement;
export let button: HTMLButtonElement;
/** The preview card: it opens the chat, as the button does. */
export let card: HTMLButtonElement;
let wrap: HTMLElement;
let badge: HTMLElement;
let away: HTMLElement;
let cardName: HTMLElement;
let cardText: HTMLElement;
// The texts come with the look, before anything shows.
let label = '';
let closeLabel = '';
let unreadLabel = '';
let unread = 0;
let preview: UnreadPreview | null = null;
let open = false;

/** Builds the launcher and the (hidden) iframe; nothing shows until `setLook`. */
export function createLauncher(frameUrl: string): void {
  host = document.createElement('div');
  host.setAttribute('data-parley-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  wrap = make('div', 'w');
  wrap.hidden = true;
  frame = make('iframe', 'f');
  frame.title = 'Chat';
  frame.src = frameUrl;
  button = make('button', 'l');
  button.type = 'button';
  badge = make('span', 'b');
  badge.hidden = true;
  away = make('span', 'a');
  away.hidden = true;
  card = make('button', 'p');
  card.type = 'button';
  cardName = make('b', '');
  cardText = make('span', '');
  card.append(cardName, cardText);
  wrap.append(frame, away, card, button);
  adoptStyles(root);
  root.append(wrap);
  unread = 0;
  preview = null;
  open = false;
}

function draw() {
  card.hidden = open || !unread || !preview;
  cardName.textContent = preview?.name ?? '';
  cardText.textContent = preview?.text ?? '';
  button.innerHTML = open ? closeIcon : chatIcon;
  button.append(badge);
  badge.textContent = unread > 9 ? '9+' : String(unread);
  badge.hidden = unread === 0 || open;
  const count = unread && !open ? `, ${unreadLabel.replace('{n}', String(unread))}` : '';
  button.setAttribute('aria-label', open ? closeLabel : label + count);
  button.setAttribute('aria-expanded', String(open));
  wrap.classList.toggle('open', open);
}

export function setLook(look: LauncherLook): void {
  host.style.setProperty('--c', look.color);
  wrap.classList.toggle('left', look.position === 'left');
  wrap.hidden = false;
  wrap.lang = look.lang;
  wrap.dir = look.dir;
  label = look.launcherLabel;
  closeLabel = look.closeLabel;
  unreadLabel = look.unreadLabel;
  away.textContent = look.awayLabel;
  away.hidden = look.agentsOnline;
  draw();
}

export function setOpen(next: boolean): void {
  open = next;
  draw();
}

export function setUnread(count: number, latest: UnreadPreview | null): void {
  unread = count;
  preview = latest;
  draw();
}
