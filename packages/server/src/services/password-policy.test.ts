import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { assertPasswordAcceptable, personalWords } from './password-policy.js';

const ada = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' };

/** The reason a refused password is given, or null when it is accepted. */
async function reasonFor(password: string, account = ada): Promise<string | null> {
  try {
    await assertPasswordAcceptable(password, account);
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ path: 'password', message: error.message }]);
    return error.message;
  }
}

describe('password policy', () => {
  it('accepts passphrases, including the ones the test factories use', async () => {
    for (const password of [
      'correct horse battery',
      'agent password 123',
      'bob password 123',
      'brand new password',
      'a fine password',
      'Tr0ub4dor&3 staple',
    ]) {
      expect(await reasonFor(password), password).toBeNull();
    }
  });

  it('refuses breached and dictionary passwords the old list did not hold, saying why', async () => {
    expect(await reasonFor('password123')).toBe(
      'This password is too easy to guess. This is a commonly used password. Add more words that are less common.',
    );
    // Not in the hundred-word list Parley kept before; in zxcvbn's dictionaries and patterns.
    for (const password of ['hunter22', 'Passw0rd!', 'qwertyuiop[]', 'dragon2000', 'zxcvbnm123']) {
      expect(await reasonFor(password), password).toMatch(/^This password is too easy to guess\./);
    }
  });

  it("refuses the account's own email and name, and variations of them", async () => {
    for (const password of [
      'ada.lovelace@example.com',
      'adalovelace',
      'AdaLovelace1',
      'lovelace2024',
      'ecalevol.ada',
    ]) {
      expect(await reasonFor(password), password).toMatch(/too easy to guess/);
    }
    expect(await reasonFor('lovelace2024')).toContain('personal');
    // The same word is fine for someone else.
    expect(await reasonFor('ada lovelace engine', { email: 'bob@example.com', name: 'Bob' })).toBe(
      null,
    );
  });

  it('judges a password of the longest length allowed by its beginning', async () => {
    expect(await reasonFor('aB3$'.repeat(64))).toMatch(/too easy to guess.*[Rr]epeated/);
    expect(await reasonFor(`correct horse battery staple ${'x'.repeat(200)}`)).toBeNull();
  });

  it('names the field it refuses', async () => {
    await expect(assertPasswordAcceptable('password123', ada, 'newPassword')).rejects.toMatchObject(
      { details: [{ path: 'newPassword' }] },
    );
  });

  it('takes words from the email and name, not the top-level domain', () => {
    const words = personalWords(ada);
    expect(words).toEqual(
      expect.arrayContaining(['ada.lovelace@example.com', 'ada.lovelace', 'lovelace', 'example']),
    );
    expect(words).toContain('adalovelace');
    expect(words).not.toContain('com');
  });
});
