import type { Message } from '@parley/protocol';
import { MAX_MENTIONS } from '@parley/protocol/limits';

// @mentions in notes (issue 37): the composer offers teammates after an `@`, the note names them
// as `@Name` in its text and carries their ids; the text alone decides nothing, since two
// teammates may share a name and a name may change.

/** A teammate a note can mention. */
export type Teammate = { id: string; name: string };

/** The `@query` being typed before the caret: what follows the `@`, and where the `@` is. */
export type MentionQuery = { query: string; at: number };

/**
 * The `@name` being typed just before the caret, or null: an `@` at the start or after a space
 * (not the middle of an email address), then up to 40 characters of the same line, so that
 * "@Dana Sc" still narrows the list to Dana Scully.
 */
export function mentionQuery(text: string, caret: number): MentionQuery | null {
  const match = /(?:^|\s)@([^\n@]{0,40})$/.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[1] ?? '';
  return { query, at: caret - query.length - 1 };
}

/** The teammates whose name, or a word of it, begins with what was typed (any case). */
export function teammatesMatching(
  teammates: readonly Teammate[],
  query: string,
  limit = 6,
): Teammate[] {
  const typed = query.toLowerCase();
  return teammates
    .filter((t) => {
      const name = t.name.toLowerCase();
      return name.startsWith(typed) || name.split(/\s+/).some((word) => word.startsWith(typed));
    })
    .slice(0, limit);
}

/** The text with `@Name ` in place of the `@query` typed, and where the caret goes: after it. */
export function insertMention(
  text: string,
  caret: number,
  mention: MentionQuery,
  name: string,
): { text: string; caret: number } {
  const before = text.slice(0, mention.at);
  const after = text.slice(caret);
  const inserted = /^\s/.test(after) ? `@${name}` : `@${name} `;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}

const escapeForPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `@Name` of any of these teammates as a whole: not inside a word, not the start of a longer
 * one. The longest names are tried first, so `@Bob Agent` is not taken for `@Bob`.
 */
function mentionPattern(teammates: readonly Teammate[]): RegExp | null {
  const names = [...new Set(teammates.map((t) => t.name).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  if (names.length === 0) return null;
  const alternatives = names.map(escapeForPattern).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])@(${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
}

/**
 * The ids of the picked teammates whose `@Name` is still in the text (the agent may have
 * deleted one since picking it), each once, at most as many as a note may carry.
 */
export function mentionedIds(text: string, picked: readonly Teammate[]): string[] {
  const pattern = mentionPattern(picked);
  if (!pattern) return [];
  const named = new Set([...text.matchAll(pattern)].map((m) => (m[1] ?? '').toLowerCase()));
  const ids = picked.filter((t) => named.has(t.name.toLowerCase())).map((t) => t.id);
  return [...new Set(ids)].slice(0, MAX_MENTIONS);
}

/** A stretch of a note's text: words as written, or the `@Name` of a teammate it mentions. */
export type NotePart = { text: string; mention?: Teammate };

/** A note's text cut around each `@Name` of the teammates it mentions, to show those apart. */
export function noteParts(content: string, mentioned: readonly Teammate[]): NotePart[] {
  const pattern = mentionPattern(mentioned);
  if (!pattern) return [{ text: content }];
  const byName = new Map(mentioned.map((t) => [t.name.toLowerCase(), t]));
  const parts: NotePart[] = [];
  let end = 0;
  for (const match of content.matchAll(pattern)) {
    const mention = byName.get((match[1] ?? '').toLowerCase());
    if (!mention) continue;
    if (match.index > end) parts.push({ text: content.slice(end, match.index) });
    parts.push({ text: match[0], mention });
    end = match.index + match[0].length;
  }
  if (end < content.length) parts.push({ text: content.slice(end) });
  return parts;
}

/** A note by someone else that mentions this agent: they are told at once. */
export const mentionsMe = (m: Message, meId: string): boolean =>
  m.type === 'note' && m.senderId !== meId && (m.mentions?.includes(meId) ?? false);
