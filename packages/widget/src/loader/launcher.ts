import type { LauncherLook, UnreadPreview } from '@parley/protocol/widget-frame';

// Styles live in a shadow root so the site's CSS cannot reach the launcher, and ours cannot
// leak out. Under 480 px the open chat takes the whole screen.
const css = `
:host{all:initial}
.l,.f,.a,.p{position:fixed;right:20px;z-index:2147483000}
.left .l,.left .f,.left .a,.left .p{right:auto;left:20px}
.l{bottom:20px;width:60px;height:60px;border:0;border-radius:50%;background:var(--c);color:#fff;cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;transition:transform .2s}
.l:hover{transform:scale(1.06)}
.l:focus-visible{outline:3px solid #fff;box-shadow:0 0 0 6px var(--c)}
.l svg{width:28px;height:28px;fill:currentColor}
.b{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;box-sizing:border-box;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif}
.a{bottom:32px;right:92px;padding:8px 14px;border-radius:18px;background:#fff;color:#1f2937;font:14px/1.2 system-ui,sans-serif;box-shadow:0 2px 10px rgba(0,0,0,.18);white-space:nowrap}
.left .a{left:92px}
.f{bottom:92px;width:376px;height:min(620px,calc(100% - 112px));border:0;border-radius:14px;background:#fff;box-shadow:0 10px 40px rgba(0,0,0,.25);opacity:0;visibility:hidden;transform:translateY(16px);transition:opacity .2s,transform .2s,visibility 0s .2s}
.open .f{opacity:1;visibility:visible;transform:none;transition:opacity .2s,transform .2s}
.p{bottom:92px;max-width:min(280px,calc(100% - 40px));padding:10px 14px;border:0;border-radius:12px;background:#fff;color:#1f2937;font:14px/1.35 system-ui,sans-serif;text-align:start;box-shadow:0 4px 16px rgba(0,0,0,.2);cursor:pointer}
.p b{display:block;margin-bottom:2px}
.p span{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden;overflow-wrap:anywhere}
.p:focus-visible{outline:3px solid var(--c)}
.open .a,.open .p,.w{display:none}
[hidden]{display:none!important}
@media (max-width:479px){.open .f{top:0;left:0;right:0;bottom:0;width:100%;height:100%;border-radius:0}.open .l{display:none}}
@media (prefers-reduced-motion:reduce){.l,.f,.open .f{transition:none}.l:hover{transform:none}}
`;

const chatIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg>';
const closeIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/></svg>';

/**
 * A constructed stylesheet is not inline style in CSP terms, so sites with a strict CSP (no
 * 'unsafe-inline', as Parley's own /demo) still draw the launcher; older browsers get <style>.
 */
function adoptStyles(root: ShadowRoot) {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}

export type Launcher = {
  host: HTMLElement;
  frame: HTMLIFrameElement;
  button: HTMLButtonElement;
  /** The preview card: it opens the chat, as the button does. */
  preview: HTMLButtonElement;
  setLook(look: LauncherLook): void;
  setOpen(open: boolean): void;
  setUnread(count: number, preview: UnreadPreview | null): void;
};

const make = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string) => {
  const el = document.createElement(tag);
  el.className = className;
  return el;
};

/** Builds the launcher and the (hidden) iframe; nothing shows until `setLook`. */
export function createLauncher(frameUrl: string): Launcher {
  const host = document.createElement('div');
  host.setAttribute('data-parley-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  const wrap = make('div', 'w');
  const frame = make('iframe', 'f');
  frame.title = 'Chat';
  frame.src = frameUrl;
  const button = make('button', 'l');
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  const badge = make('span', 'b');
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  const away = make('span', 'a');
  away.hidden = true;
  const card = make('button', 'p');
  card.type = 'button';
  const cardName = make('b', '');
  const cardText = make('span', '');
  card.append(cardName, cardText);
  wrap.append(frame, away, card, button);
  adoptStyles(root);
  root.append(wrap);

  let label = 'Chat with us';
  let closeLabel = 'Close chat';
  let unreadLabel = '{n} unread';
  let unread = 0;
  let preview: UnreadPreview | null = null;
  let open = false;
  const draw = () => {
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
  };
  draw();

  return {
    host,
    frame,
    button,
    preview: card,
    setLook(look) {
      host.style.setProperty('--c', look.color);
      wrap.className = `w${open ? ' open' : ''}${look.position === 'left' ? ' left' : ''}`;
      wrap.style.display = 'block';
      wrap.lang = look.lang;
      wrap.dir = look.dir;
      label = look.launcherLabel;
      closeLabel = look.closeLabel;
      unreadLabel = look.unreadLabel;
      away.textContent = look.awayLabel;
      away.hidden = look.agentsOnline;
      draw();
    },
    setOpen(next) {
      open = next;
      draw();
    },
    setUnread(count, latest) {
      unread = count;
      preview = latest;
      draw();
    },
  };
}
