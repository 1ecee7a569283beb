import type { SearchTerm } from '../db/search-query.js';

/**
 * The runs of letters and digits (with their accents) that make words. Punctuation, spaces,
 * emoji and symbols separate them, as in the database's search document (migration 0003).
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Enough for any real search; each term is one more index lookup. */
const MAX_TERMS = 12;

/**
 * What the agent typed, as terms to find: each bare word (`INV-12345` is the words `inv` and
 * `12345`, one after the other) or "quoted phrase" (an unclosed quote runs to the end, as while
 * typing). The last word of a term is a prefix, but a lone letter or digit is only itself: as a
 * prefix it would match most of history.
 */
export function parseSearch(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  for (const match of q.matchAll(/"([^"]*)"?|[^\s"]+/g)) {
    const words = [...(match[1] ?? match[0]).matchAll(WORD)].map((w) => w[0]);
    const last = words[words.length - 1];
    if (!last) continue;
    const term = { words, prefix: words.length > 1 || [...last].length > 1 };
    const key = JSON.stringify(term);
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

// Letters that carry no combining accent in Unicode, so NFKD leaves them: unaccent's mapping.
const LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
};

/** A word as the search document holds it: lowercase, accents stripped (`Café` is `cafe`). */
export function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħŧ]/g, (c) => LETTERS[c] ?? c);
}

/** [start, end) in UTF-16 code units. */
export type Range = [start: number, end: number];

/**
 * Where `terms` occur in `text`: each term's words on consecutive words of the text, the last
 * as a prefix (the whole word of the text is marked), in order, overlaps merged. The database
 * decides what matches; this finds it again in the text to show it, by the same rules.
 */
export function findMatches(text: string, terms: readonly SearchTerm[]): Range[] {
  const words = [...text.matchAll(WORD)].map((w) => ({
    start: w.index,
    end: w.index + w[0].length,
    folded: fold(w[0]),
  }));
  const ranges: Range[] = [];
  for (const term of terms) {
    const wanted = term.words.map(fold);
    const lastAt = wanted.length - 1;
    for (let i = 0; i + wanted.length <= words.length; i++) {
      const found = wanted.every((w, j) => {
        const actual = words[i + j]?.folded ?? '';
        return j === lastAt && term.prefix ? actual.startsWith(w) : actual === w;
      });
      const first = words[i];
      const last = words[i + lastAt];
      if (found && first && last) ranges.push([first.start, last.end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const [start, end] of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && start <= previous[1]) previous[1] = Math.max(previous[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** A snippet longer than this is cut around its first match. */
export const SNIPPET_LENGTH = 200;
/** How much of the text before the first match a cut snippet keeps. */
const CONTEXT_BEFORE = 60;
const ELLIPSIS = '…';

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The text to show for a hit, with its matches: the whole text when short, else about
 * SNIPPET_LENGTH characters from a little before the first match, cut between words where it
 * can (never inside a character), with an ellipsis where text was left out.
 */
export function snippetOf(
  text: string,
  matches: readonly Range[],
): { snippet: string; highlights: Range[] } {
  if (text.length <= SNIPPET_LENGTH) return { snippet: text, highlights: matches.map(copy) };
  const first = matches[0];
  let start = Math.max(0, (first?.[0] ?? 0) - CONTEXT_BEFORE);
  if (start > 0) {
    const space = text.slice(start, first?.[0] ?? start).search(/\s/);
    if (space >= 0) start += space + 1;
  }
  if (isLowSurrogate(text.charCodeAt(start))) start++;
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const space = text.slice(start, end).search(/\s\S*$/);
    if (space > 0 && start + space >= (first?.[1] ?? 0)) end = start + space;
    if (isLowSurrogate(text.charCodeAt(end))) end--;
  }
  const lead = start > 0 ? ELLIPSIS : '';
  const shift = lead.length - start;
  const highlights: Range[] = [];
  for (const [from, to] of matches) {
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a < b) highlights.push([a + shift, b + shift]);
  }
  const snippet = lead + text.slice(start, end) + (end < text.length ? ELLIPSIS : '');
  return { snippet, highlights };
}

const copy = ([a, b]: Range): Range => [a, b];
