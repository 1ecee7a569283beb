import { describe, expect, it } from 'vitest';
import { contactsState } from './list-state';

describe('contactsState', () => {
  it("keeps the list's search and the name of someone erased", () => {
    expect(contactsState({ list: '?q=nora&site=s1', erased: 'Nora' })).toEqual({
      list: '?q=nora&site=s1',
      erased: 'Nora',
    });
    expect(contactsState({ list: '' })).toEqual({ list: '' });
  });

  it('ignores what is not its own: no state, other shapes, another address', () => {
    expect(contactsState(null)).toEqual({});
    expect(contactsState('?q=x')).toEqual({});
    expect(contactsState({ list: 3, erased: {} })).toEqual({});
    expect(contactsState({ list: '//evil.example/' })).toEqual({});
  });
});
