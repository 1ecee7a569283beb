import { describe, expect, it } from 'vitest';
import { findMatches, fold, parseSearch, SNIPPET_LENGTH, snippetOf } from './search-text.js';

const marked = (text: string, q: string) =>
  findMatches(text, parseSearch(q)).map(([a, b]) => text.slice(a, b));

describe('parseSearch', () => {
  it('splits what is typed into terms of words, the last of each a prefix', () => {
    expect(parseSearch('  refund   INV-12345 ')).toEqual([
      { words: ['refund'], prefix: true },
      { words: ['INV', '12345'], prefix: true },
    ]);
    expect(parseSearch('"has not arrived" dora@exa')).toEqual([
      { words: ['has', 'not', 'arrived'], prefix: true },
      { words: ['dora', 'exa'], prefix: true },
    ]);
    // An unclosed quote runs to the end, as while typing.
    expect(parseSearch('"has not')).toEqual([{ words: ['has', 'not'], prefix: true }]);
  });

  it('keeps a lone letter whole, drops punctuation, repeats and what is past the limit', () => {
    expect(parseSearch('a b2 é')).toEqual([
      { words: ['a'], prefix: false },
      { words: ['b2'], prefix: true },
      { words: ['é'], prefix: false },
    ]);
    expect(parseSearch('% * \' -- "" 🙂')).toEqual([]);
    expect(parseSearch('x1 x1 X1')).toHaveLength(2);
    expect(parseSearch(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))).toHaveLength(12);
  });
});

describe('fold', () => {
  it('lowercases and strips accents as unaccent does', () => {
    expect(fold('Café CRÈME Ærøskøbing Łódź Straße ﬁne')).toBe(
      'cafe creme aeroskobing lodz strasse fine',
    );
  });
});

describe('findMatches', () => {
  it('marks whole words a term begins, in any order, merged and in order', () => {
    expect(marked('My refund for the kettle was refused', 'ref kettle')).toEqual([
      'refund',
      'kettle',
      'refused',
    ]);
    expect(marked('Un café crème', 'CAFE creme')).toEqual(['café', 'crème']);
    expect(marked('dora.refund@example.com wrote', 'dora.refund@exa')).toEqual([
      'dora.refund@example',
    ]);
    expect(marked('Invoice INV-12345 and inv 99', 'inv-123')).toEqual(['INV-12345']);
    // Inside a word is not a match; a lone letter is only itself.
    expect(marked('the kettle', 'ettle')).toEqual([]);
    expect(marked('a apple', 'a')).toEqual(['a']);
  });

  it('counts in UTF-16 code units, as JavaScript slices', () => {
    const text = '🙂🙂 café';
    expect(findMatches(text, parseSearch('cafe'))).toEqual([[5, 9]]);
  });
});

describe('snippetOf', () => {
  it('keeps a short text whole', () => {
    expect(snippetOf('a short text', [[2, 7]])).toEqual({
      snippet: 'a short text',
      highlights: [[2, 7]],
    });
  });

  it('cuts a long text around its first match, between words, and moves the ranges', () => {
    const before = 'word '.repeat(100);
    const text = `${before}needle ${'tail '.repeat(100)}`;
    const at = before.length;
    const { snippet, highlights } = snippetOf(text, [[at, at + 6]]);
    expect(snippet.startsWith('…word ')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    expect(highlights).toHaveLength(1);
    const [[a, b]] = highlights as [[number, number]];
    expect(snippet.slice(a, b)).toBe('needle');
    expect(snippet.slice(1, a)).toMatch(/^(word )+$/);
  });

  it('never cuts a character in two', () => {
    const text = '🙂'.repeat(150);
    const { snippet } = snippetOf(text, [[101, 103]]);
    expect(snippet).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
  });
});
