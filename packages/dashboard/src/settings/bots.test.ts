import type { User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { botChoices } from './bots';

const user = (id: string, kind: User['kind'], active = true): User => ({
  id,
  name: id,
  email: `${id}@example.com`,
  role: 'agent',
  status: 'offline',
  capacity: 5,
  active,
  emailAlerts: false,
  twoFactor: false,
  kind,
  createdAt: '2026-12-01T00:00:00Z',
});

describe('the choices of a first-responder bot', () => {
  const users = [user('ada', 'person'), user('parcel', 'bot'), user('old', 'bot', false)];

  it('offers none, then the active bots; people are no choice', () => {
    expect(botChoices(users, null, 'No bot').choices).toEqual([
      { value: '', label: 'No bot' },
      { value: 'parcel', label: 'parcel' },
    ]);
  });

  it('keeps a saved bot since deactivated, marked and not to be chosen again', () => {
    const { choices, current } = botChoices(users, 'old', 'No bot');
    expect(current?.id).toBe('old');
    expect(choices.at(-1)).toEqual({ value: 'old', label: 'old (deactivated)', disabled: true });
  });
});
