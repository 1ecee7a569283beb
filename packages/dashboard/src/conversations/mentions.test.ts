import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  insertMention,
  mentionedIds,
  mentionQuery,
  mentionsMe,
  noteParts,
  teammatesMatching,
} from './mentions';

const dana = { id: '00000000-0000-4000-8000-00000000000d', name: 'Dana Scully' };
const bob = { id: '00000000-0000-4000-8000-00000000000b', name: 'Bob' };
const bobAgent = { id: '00000000-0000-4000-8000-0000000000ba', name: 'Bob Agent' };

describe('the @name being typed', () => {
  it('starts at an @ at the start or after a space, and runs to the caret', () => {
    expect(mentionQuery('@', 1)).toEqual({ query: '', at: 0 });
    expect(mentionQuery('ask @Da', 7)).toEqual({ query: 'Da', at: 4 });
    expect(mentionQuery('line one\n@Dana Sc', 17)).toEqual({ query: 'Dana Sc', at: 9 });
    // Only what is before the caret counts: the agent went back to the middle of the text.
    expect(mentionQuery('ask @Da and more', 7)).toEqual({ query: 'Da', at: 4 });
  });
  it('is not an email address, nor an @ on an earlier line', () => {
    expect(mentionQuery('write to dana@example.com', 25)).toBeNull();
    expect(mentionQuery('@Dana\nthanks', 12)).toBeNull();
    expect(mentionQuery('no at sign', 10)).toBeNull();
  });
});

describe('teammates offered', () => {
  const team = [dana, bob, bobAgent];
  it('are those whose name or a word of it begins with what was typed, in any case', () => {
    expect(teammatesMatching(team, '')).toEqual(team);
    expect(teammatesMatching(team, 'sc')).toEqual([dana]);
    expect(teammatesMatching(team, 'bob a')).toEqual([bobAgent]);
    expect(teammatesMatching(team, 'bob can you')).toEqual([]);
    expect(teammatesMatching(team, '', 2)).toEqual([dana, bob]);
  });
});

describe('picking a teammate', () => {
  it('puts `@Name ` in place of what was typed, the caret after it', () => {
    const text = 'ask @da';
    const picked = insertMention(text, 7, { query: 'da', at: 4 }, dana.name);
    expect(picked).toEqual({ text: 'ask @Dana Scully ', caret: 17 });
  });
  it('keeps the text after the caret, with no second space', () => {
    const picked = insertMention('@da about this', 3, { query: 'da', at: 0 }, dana.name);
    expect(picked).toEqual({ text: '@Dana Scully about this', caret: 12 });
  });
});

describe('the mentions a note is sent with', () => {
  it('are the picked teammates still named in the text, each once', () => {
    expect(mentionedIds('@Dana Scully and @Bob Agent, see this', [dana, bobAgent])).toEqual([
      dana.id,
      bobAgent.id,
    ]);
    expect(mentionedIds('@Dana Scully twice: @Dana Scully', [dana, dana])).toEqual([dana.id]);
    // Picked, then deleted from the text.
    expect(mentionedIds('never mind', [dana])).toEqual([]);
    // Nobody picked: a typed "@Bob" names nobody.
    expect(mentionedIds('@Bob', [])).toEqual([]);
  });
  it('take a name as a whole, longest first', () => {
    expect(mentionedIds('@Bob Agent please', [bob, bobAgent])).toEqual([bobAgent.id]);
    expect(mentionedIds('@Bobby', [bob])).toEqual([]);
    expect(mentionedIds('mail@Bob', [bob])).toEqual([]);
    expect(mentionedIds('(@Bob)', [bob])).toEqual([bob.id]);
  });
  it('are at most 20', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `Agent ${String.fromCharCode(65 + i)}`,
    }));
    const text = many.map((t) => `@${t.name}`).join(' ');
    expect(mentionedIds(text, many)).toHaveLength(20);
  });
});

describe('a note shown', () => {
  it('sets apart each @Name of a teammate it mentions, as written', () => {
    expect(noteParts('@dana scully: call @Bob back', [dana])).toEqual([
      { text: '@dana scully', mention: dana },
      { text: ': call @Bob back' },
    ]);
    expect(noteParts('plain', [])).toEqual([{ text: 'plain' }]);
  });
});

describe('a note that mentions me', () => {
  const note = (senderId: string, mentions?: string[]): Message => ({
    id: '00000000-0000-4000-8000-000000000001',
    conversationId: '00000000-0000-4000-8000-000000000000',
    seq: 1,
    clientId: null,
    sender: 'agent',
    senderId,
    senderName: 'Bob',
    fromBot: false,
    content: '@Dana Scully look',
    type: 'note',
    attachments: [],
    readAt: null,
    createdAt: new Date(0).toISOString(),
    ...(mentions ? { mentions } : {}),
  });
  it('is a note by someone else naming my id', () => {
    expect(mentionsMe(note(bob.id, [dana.id]), dana.id)).toBe(true);
    expect(mentionsMe(note(bob.id, [bobAgent.id]), dana.id)).toBe(false);
    expect(mentionsMe(note(bob.id), dana.id)).toBe(false);
    // My own note naming me tells me nothing.
    expect(mentionsMe(note(dana.id, [dana.id]), dana.id)).toBe(false);
    expect(mentionsMe({ ...note(bob.id, [dana.id]), type: 'text' }, dana.id)).toBe(false);
  });
});
