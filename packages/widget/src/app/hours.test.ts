import { describe, expect, it } from 'vitest';
import { backAt } from './hours.js';
import { fill } from './i18n.js';
import de from './locales/de.js';
import { en } from './locales/en.js';

// "We're back <day> at <time>": in the visitor's zone (the browser's) and language.
describe('when the team is back', () => {
  // A Friday afternoon, in the zone the test runs in.
  const now = new Date(2026, 11, 4, 16, 30);
  const at = (days: number, hour: number) => new Date(2026, 11, 4 + days, hour, 0).toISOString();

  it('says today and tomorrow in words, a weekday within the week, a date further off', () => {
    expect(fill(en.backAt, backAt(at(0, 18), 'en', now))).toBe("We're back today at 6:00 PM.");
    expect(fill(en.backAt, backAt(at(1, 9), 'en', now))).toBe("We're back tomorrow at 9:00 AM.");
    expect(fill(en.backAt, backAt(at(3, 9), 'en', now))).toBe("We're back Monday at 9:00 AM.");
    expect(fill(en.backAt, backAt(at(10, 9), 'en', now))).toBe(
      "We're back Monday, December 14 at 9:00 AM.",
    );
  });

  it("in the visitor's language, with its own clock", () => {
    expect(fill(de.backAt, backAt(at(3, 9), 'de', now))).toBe('Wir sind Montag um 9:00 wieder da.');
    expect(fill(de.backAt, backAt(at(1, 14), 'de', now))).toBe(
      'Wir sind morgen um 14:00 wieder da.',
    );
  });
});
