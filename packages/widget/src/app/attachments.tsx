import type { Attachment } from '@parley/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatSize, isInlineImage as isImage } from '@parley/protocol/file-display';
import { freshLink, kindOf, linkTo, useLink } from './file-transfer.js';
import { useLanguage } from './i18n.js';

type Token = () => string;

/**
 * A download follows a fresh signed link: the one the card was drawn with may have lapsed. The
 * click is held, the link renewed, and the click made again (it then finds the link fresh).
 */
const follow = (e: MouseEvent, token: Token, id: string) => {
  if (freshLink(id)) return;
  e.preventDefault();
  const a = e.currentTarget as HTMLAnchorElement;
  void linkTo(token(), id).then((url) => {
    a.href = url;
    a.click();
  });
};

/** A thumbnail fits in 220 × 180 px, keeping the image's proportions, never enlarged. */
const thumbSize = ({ width, height }: Attachment) => {
  const w = width ?? 220;
  const h = height ?? 180;
  const k = Math.min(1, 220 / w, 180 / h);
  return { width: Math.round(w * k), height: Math.round(h * k) };
};

/** An image as a bounded thumbnail; a click shows it whole over the chat. */
function Picture({ file, token }: { file: Attachment; token: Token }) {
  const { t } = useLanguage();
  const url = useLink(token, file.id);
  const [whole, setWhole] = useState(false);
  const closer = useRef<HTMLButtonElement>(null);
  // The view takes the focus (autofocus is refused in a cross-origin frame), and gives it back.
  const opener = useRef<HTMLButtonElement>(null);
  const shown = useRef(false);
  useEffect(() => {
    if (whole) closer.current?.focus();
    else if (shown.current) opener.current?.focus();
    shown.current = whole;
  }, [whole]);
  const close = (e: Event) => {
    e.stopPropagation();
    setWhole(false);
  };
  return (
    <>
      <button
        ref={opener}
        type="button"
        class="pic"
        aria-label={file.name}
        onClick={() => setWhole(true)}
      >
        {/* Sized before its link is known, so the log does not jump when it arrives. */}
        <img src={url} alt={file.name} style={thumbSize(file)} />
      </button>
      {whole && url && (
        <div
          class="lightbox"
          role="dialog"
          aria-label={file.name}
          onClick={close}
          onKeyDown={(e) => e.key === 'Escape' && close(e)}
        >
          <img src={url} alt={file.name} />
          <button type="button" class="close" aria-label={t.close} ref={closer} onClick={close}>
            ×
          </button>
        </div>
      )}
    </>
  );
}

/** Any other file: a card with its name, kind and size that downloads it. */
function Card({ file, token }: { file: Attachment; token: Token }) {
  const { t } = useLanguage();
  const url = useLink(token, file.id);
  return (
    <a
      class="file"
      href={url}
      download={file.name}
      title={t.download}
      onClick={(e) => follow(e, token, file.id)}
    >
      <b>{kindOf(file.name)}</b>
      <span dir="auto">{file.name}</span>
      <small>{formatSize(file.size)}</small>
    </a>
  );
}

/** The files a message carries, images first as the eye reads a screenshot before a name. */
export function Files({ files, token }: { files: Attachment[]; token: Token }) {
  const sorted = [...files].sort((a, b) => +isImage(b.contentType) - +isImage(a.contentType));
  return (
    <span class="files">
      {sorted.map((f) =>
        isImage(f.contentType) ? (
          <Picture key={f.id} file={f} token={token} />
        ) : (
          <Card key={f.id} file={f} token={token} />
        ),
      )}
    </span>
  );
}
