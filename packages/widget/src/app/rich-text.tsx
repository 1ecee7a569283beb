// Message text is shown as text, never parsed as HTML: Preact escapes strings. Only http(s)
// URLs become links, and they open outside the chat without access to it.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// A sentence's closing punctuation is not part of the link.
const TRAILING = /[.,;:!?)\]]+$/;

export function RichText({ text }: { text: string }) {
  const parts: Array<string | { href: string }> = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const href = match[0].replace(TRAILING, '');
    parts.push(text.slice(last, match.index), { href });
    last = match.index + href.length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part) =>
        typeof part === 'string' ? (
          part
        ) : (
          <a href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.href}
          </a>
        ),
      )}
    </>
  );
}
