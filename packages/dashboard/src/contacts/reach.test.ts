import { describe, expect, it } from 'vitest';
import { howItReaches } from './reach';

const away = { online: false, email: 'nora@example.com' };

describe('howItReaches', () => {
  it('says the widget, at once, for someone on the site now', () => {
    const said = howItReaches({ online: true, email: null }, { emailOn: true, openChat: false });
    expect(said).toBe(
      'It opens a conversation with you. They are on the site now: it appears in their chat at once.',
    );
  });

  it('says email too only when email is on and they gave an address', () => {
    expect(howItReaches(away, { emailOn: true, openChat: false })).toContain(
      'emailed to nora@example.com if they have not seen it soon',
    );
    expect(howItReaches(away, { emailOn: false, openChat: false })).toContain(
      'Email is off on this Parley, so it is not emailed to nora@example.com.',
    );
    expect(
      howItReaches({ online: false, email: null }, { emailOn: true, openChat: false }),
    ).toContain('They gave no email address, so it is not emailed.');
    // Not known yet: no promise either way.
    expect(howItReaches(away, { emailOn: undefined, openChat: false })).not.toMatch(/email/i);
  });

  it('says that an open conversation takes the message rather than a new one', () => {
    expect(howItReaches(away, { emailOn: true, openChat: true })).toMatch(
      /^It is added to their open conversation\./,
    );
  });
});
