import { and, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Tx } from './client.js';
import { after, type KeysetPosition } from './keyset.js';
import { messages } from './schema.js';

/**
 * One thing to find: words that must follow one another in the text (one word, `INV-12345` as
 * `inv` then `12345`, or a quoted phrase). With `prefix`, the last one is a prefix.
 */
export type SearchTerm = { words: string[]; prefix: boolean };

/**
 * The terms as a tsquery: each term a phrase (`<->`), all of them required (`&`). The words are
 * letters and digits only (see parseSearch), so quoting them needs no escapes; to_tsquery
 * lowercases them and strips accents with the same configuration as the documents.
 */
export function tsQuery(terms: readonly SearchTerm[]): SQL {
  const text = terms
    .map((t) => {
      const last = t.words.length - 1;
      const words = t.words.map((w, i) => `'${w}'${t.prefix && i === last ? ':*' : ''}`);
      return `(${words.join(' <-> ')})`;
    })
    .join(' & ');
  return sql`to_tsquery('parley_search', ${text})`;
}

/** The partial search index's condition: system lines are never searched. */
export const searchable = sql`${messages.type} <> 'system'`;

/** Each word typed, as a term of its own: a prefix where it is its term's last, as typed. */
const eachWord = (terms: readonly SearchTerm[]): SearchTerm[] =>
  terms.flatMap((t) =>
    t.words.map((w, i) => ({ words: [w], prefix: t.prefix && i === t.words.length - 1 })),
  );

/**
 * What the search index is asked for: `query`, and whether what it gives must be tested
 * against the whole query (`tsQuery`) since `query` leaves part of it out.
 */
export type IndexAsk = { query: SQL; recheck: boolean };

/**
 * The words typed in full (all but the last of a phrase, an address, an order number), all
 * required, in any order, to be tested against the whole query: the index reads a prefix as
 * every word it begins, each with all its messages, where a whole word is one entry. Without
 * statistics to tell which prefix is rare, a query with any whole word is asked this way.
 */
export function byWholeWords(terms: readonly SearchTerm[]): IndexAsk {
  const whole = eachWord(terms).filter((w) => !w.prefix);
  return whole.length > 0
    ? { query: tsQuery(whole), recheck: true }
    : { query: tsQuery(terms), recheck: false };
}

/**
 * What to ask the search index for the terms' matches (after `at`); undefined when
 * PostgreSQL's statistics say that even the rarest word typed matches far more than `most`
 * messages, so that the index would cost its bitmap and then be refused. A bitmap for words
 * that must all match follows the rarest of them (70 ms for the 474,000 messages with "order"
 * at 2M messages; 36 ms for "refund has not arrived", whose words are each common), but a
 * prefix is every word it begins, each read whole: in "dalia.tanaka31109@example.org" as
 * typed, `org:*` was 36,000 messages and 136 ms of a busy machine, where the one message with
 * the three words before it took 0.4 ms. So a common prefix is left out of what the index is
 * asked, and what it gives is tested against the whole query. Each word is estimated on its
 * own, since the estimate of a phrase multiplies its words' odds (25 for 34,000): one plan
 * with a branch per word. Without statistics (a database not analyzed yet) every estimate is
 * small, and the whole query is asked.
 */
export async function indexQuery(
  db: Tx,
  terms: readonly SearchTerm[],
  most: number,
  at?: KeysetPosition,
): Promise<IndexAsk | undefined> {
  const words = eachWord(terms);
  const branches = words.map(
    (word) =>
      sql`(select 1 from ${messages}
        where ${and(searchable, sql`${messages.searchVector} @@ ${tsQuery([word])}`, after(messages.createdAt, messages.id, at))})`,
  );
  const [row] = await rowsOf<{ 'QUERY PLAN': unknown }>(
    db,
    sql`explain (format json) ${sql.join(branches, sql` union all `)}`,
  );
  const plan = row?.['QUERY PLAN'];
  type Node = { 'Node Type'?: string; 'Plan Rows'?: number; Plans?: Node[] };
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as
    Array<{ Plan?: Node }> | undefined;
  const top = parsed?.[0]?.Plan;
  const perWord = top?.['Node Type'] === 'Append' ? (top.Plans ?? []) : top ? [top] : [];
  const rare = words.map((_, i) => {
    const estimate = perWord.length === words.length ? perWord[i]?.['Plan Rows'] : undefined;
    return typeof estimate !== 'number' || estimate <= most * 10;
  });
  if (!rare.some(Boolean)) return undefined;
  const asked = words.filter((w, i) => !w.prefix || rare[i]);
  return asked.length < words.length
    ? { query: tsQuery(asked), recheck: true }
    : { query: tsQuery(terms), recheck: false };
}

/**
 * Settings for a statement that must read the search index as a bitmap whatever the
 * statistics say: not a walk by time, nor a scan of the table that stops at a bound, which for
 * a word found only long ago reads all of history first. Nor parallel workers: starting one
 * took 105 ms at 2M messages on a busy machine, for a bitmap that was empty.
 */
export const BITMAP_ONLY = sql.raw(
  'set local enable_indexscan = off; set local enable_seqscan = off; ' +
    'set local max_parallel_workers_per_gather = 0',
);

/**
 * How many a walk tests in its next statement: its first step, then, at the rate of matches
 * found so far, enough for those still wanted and half again, within a step (a whole step while
 * nothing is found). A word said often is found among the first few, and a statement reads
 * all it takes before it tests them.
 */
export function stepSize(
  bounds: { step: number; firstStep?: number | undefined },
  tested: number,
  found: number,
  want: number,
): number {
  const first = Math.min(bounds.firstStep ?? bounds.step, bounds.step);
  if (tested === 0) return first;
  if (found === 0) return bounds.step;
  const enough = Math.ceil((((want - found) * tested) / found) * 1.5);
  return Math.min(bounds.step, Math.max(first, enough));
}
