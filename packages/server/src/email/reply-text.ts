import { MAX_MESSAGE_LENGTH } from '@parley/protocol';
import { convert } from 'html-to-text';
import { REPLY_MARKER } from './compose.js';

/**
 * The text of an email that came as HTML only. A link is its words and then its address, with
 * nothing around the address: html-to-text's default `words [address]` (as mailparser writes
 * it) left the `]` glued to the address, and a link made of it kept the bracket. A link whose
 * words are its address is written once; images (a signature's logo, `cid:` parts) are left
 * out. Lines are not wrapped: the chat wraps them. Call it only on HTML mailparser converted
 * without error: that is where its nesting was checked against html-to-text's recursion.
 */
export function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    limits: { maxDepth: 1000 },
    selectors: [
      { selector: 'a', options: { linkBrackets: false, hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

// Where the quoted history of a reply begins, as the common mail clients write it: Gmail and
// Apple Mail ("On … wrote:", also in French, German, Spanish, Portuguese, Italian and Dutch),
// Outlook ("-----Original Message-----", a rule of underscores, a From:/Sent: block).
const ATTRIBUTION =
  /^(On\s.+\swrote|Le\s.+\sa\s+écrit|Am\s.+\sschrieb\s.*|El\s.+\sescribió|Em\s.+\sescreveu|Il\s.+\sha\s+scritto|Op\s.+\sschreef\s.*)\s*:?\s*$/i;
const ATTRIBUTION_START = /^(On|Le|Am|El|Em|Il|Op)\s/i;
const ORIGINAL =
  /^-{2,}\s*(Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}/i;
const RULE = /^_{10,}\s*$/;
const HEADER_BLOCK = /^\*?(From|De|Von|Van|Da):\*?\s/i;
const HEADER_NEXT = /^\*?(Sent|Date|Envoyé|Gesendet|Enviado|Inviato|Verzonden|To|À|An):\*?\s/i;
// Where a signature begins: the standard "-- " line, and the phones' and apps' own lines.
const SIGNATURE =
  /^(--\s*|—\s*|Sent from my .*|Sent from .* for (iOS|Android).*|Get Outlook for .*|Envoyé de mon .*|Von meinem .* gesendet)$/i;

/**
 * What the visitor wrote in their reply: the text above the quoted history and the signature.
 * Lines quoted with `>` are dropped wherever they are (a reply written between quotes keeps its
 * own lines). Longer than a message may be, it is cut, and says so.
 */
export function replyText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '')
    .split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed.includes(REPLY_MARKER)) break;
    if (ATTRIBUTION.test(trimmed)) break;
    // An attribution a client wrapped over two or three lines.
    if (ATTRIBUTION_START.test(trimmed)) {
      const joined = [trimmed, lines[i + 1]?.trim(), lines[i + 2]?.trim()].filter(Boolean);
      if (ATTRIBUTION.test(joined.slice(0, 2).join(' ')) || ATTRIBUTION.test(joined.join(' ')))
        break;
    }
    if (ORIGINAL.test(trimmed) || RULE.test(trimmed)) break;
    if (HEADER_BLOCK.test(trimmed) && HEADER_NEXT.test(lines[i + 1]?.trim() ?? '')) break;
    if (SIGNATURE.test(trimmed)) break;
    if (trimmed.startsWith('>')) continue;
    kept.push(line.replace(/\s+$/, ''));
  }
  const reply = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (reply.length <= MAX_MESSAGE_LENGTH) return reply;
  const note = '\n\n[The email was longer; the rest is cut.]';
  return reply.slice(0, MAX_MESSAGE_LENGTH - note.length).trimEnd() + note;
}
