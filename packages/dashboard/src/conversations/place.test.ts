import { describe, expect, it } from 'vitest';
import { placeOf } from './place';

const shop = { id: 's1', name: 'Outdoor shop' };
const blog = { id: 's2', name: 'Blog' };
const billing = { id: 't1', name: 'Billing' };

describe('where a chat came from', () => {
  it('names the site only when there are several, and the team when it has one', () => {
    expect(placeOf({ siteId: 's1', teamId: 't1' }, [shop, blog], [billing])).toBe(
      'Outdoor shop · Billing',
    );
    expect(placeOf({ siteId: 's1', teamId: 't1' }, [shop], [billing])).toBe('Billing');
    expect(placeOf({ siteId: 's2', teamId: null }, [shop, blog], [billing])).toBe('Blog');
    expect(placeOf({ siteId: 's1', teamId: null }, [shop], [billing])).toBeNull();
    // A team deleted since is not named.
    expect(placeOf({ siteId: 's1', teamId: 'gone' }, [shop], [billing])).toBeNull();
  });
});
