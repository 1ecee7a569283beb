import { badRequest } from '../errors.js';

// The most used passwords of 8 characters or more, from public breach corpora (lower-cased):
// the first ones an attacker tries against every account.
const COMMON = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '11111111', '00000000', '88888888',
  '87654321', '11223344', '12341234', '12121212', '123123123', '987654321', '147258369',
  'password', 'password1', 'password12', 'password123', 'password!', 'passw0rd', 'p@ssw0rd',
  'p@ssword', 'pa$$word', 'qwertyui', 'qwertyuiop', 'qwerty123', 'qwerty12', '1q2w3e4r',
  '1q2w3e4r5t', 'q1w2e3r4', 'zaq12wsx', '1qaz2wsx', 'asdfghjk', 'asdfghjkl', 'zxcvbnm1',
  'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'basketball',
  'superman', 'batman123', 'starwars', 'whatever', 'trustno1', 'letmein1', 'letmein!',
  'welcome1', 'welcome123', 'welcome!', 'admin123', 'administrator', 'changeme', 'changeme1',
  'monkey123', 'dragon123', 'master123', 'shadow123', 'abc12345', 'abcd1234', 'abcdefgh',
  'aa123456', 'qazwsxedc', 'michelle', 'jennifer', 'computer', 'internet', 'mercedes',
  'liverpool', 'chelsea1', 'arsenal1', 'corvette', 'mustang1', 'harley12', 'access14',
  'secret123', 'default1', 'test1234', 'testtest', 'login123', 'support1', 'customer',
  'livechat', 'livechat1', 'parley123', 'helpdesk', 'summer2024', 'winter2024', 'spring2025',
  'summer2025', 'autumn2025', 'winter2025', 'spring2026', 'summer2026', 'autumn2026', 'winter2026',
]);

/**
 * Refuses passwords an attacker would try first: the common ones, and the account's own email
 * or its name part. Length (8 or more) is checked by the schema.
 */
export function assertPasswordAcceptable(password: string, email: string): void {
  const lowered = password.toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (COMMON.has(lowered) || lowered === email.toLowerCase() || lowered === local) {
    throw badRequest('Invalid input', [
      { path: 'password', message: 'This password is too common; choose another' },
    ]);
  }
}
