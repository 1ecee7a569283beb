import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { badRequest } from '../errors.js';

/**
 * zxcvbn's score runs 0 to 4; 3 means about 10^8 guesses or more ("safely unguessable" against
 * an online attack and a slow offline one, which is what argon2id makes an offline attack).
 */
export const MIN_PASSWORD_SCORE = 3;

// zxcvbn runs on the event loop, and its l33t matcher grows fast with length and with l33t
// characters: 64 of them took 1.6 s. The first 32 characters, and at most 4 l33t substitutions
// (enough to see through "p4$$w0rd"), kept the worst of 150 random l33t strings near 120 ms
// on a busy two-core machine (30 ms on average); beyond 32 characters a password is long anyway.
const CHECKED_LENGTH = 32;
const L33T_SUBSTITUTIONS = 4;

// Words an attacker of this particular site tries first, beside the account's own details.
const SITE_WORDS = ['parley', 'livechat', 'chat', 'support', 'helpdesk'];

let checker: Promise<ZxcvbnFactory> | undefined;

/**
 * The dictionaries (breached passwords, English words and names: several megabytes) are loaded
 * on the first check and kept: a server that never sees a password change never loads them,
 * and the widget and dashboard bundles never import this module.
 */
function loadChecker(): Promise<ZxcvbnFactory> {
  checker ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([core, common, en]) =>
      new core.ZxcvbnFactory({
        translations: en.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...en.dictionary },
        maxLength: CHECKED_LENGTH,
        l33tMaxSubstitutions: L33T_SUBSTITUTIONS,
      }),
    (error: unknown) => {
      checker = undefined; // a failed load is tried again on the next check
      throw error;
    },
  );
  return checker;
}

/** The account's own details, as words zxcvbn treats like the most common passwords. */
export function personalWords(account: { email: string; name?: string }): string[] {
  const email = account.email.toLowerCase();
  const [local = '', domain = ''] = email.split('@');
  const name = account.name?.toLowerCase() ?? '';
  const words = [
    email,
    local,
    ...local.split(/[^\p{L}\p{N}]+/u),
    ...domain.split('.').slice(0, -1), // the domain's names, not its TLD
    name,
    name.replace(/\s+/g, ''),
    ...name.split(/[^\p{L}\p{N}]+/u),
  ];
  return [...new Set([...words, ...SITE_WORDS])].filter((word) => word.length >= 3);
}

/**
 * Refuses passwords that are easy to guess (zxcvbn: breached passwords, dictionary words, keyboard
 * patterns, dates, the account's own email or name, and their l33t and reversed forms), saying
 * why in the error's message so the form can show it. Length (8 or more) is checked by the schema.
 */
export async function assertPasswordAcceptable(
  password: string,
  account: { email: string; name?: string },
  field = 'password',
): Promise<void> {
  const zxcvbn = await loadChecker();
  const result = zxcvbn.check(password, personalWords(account));
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const { warning, suggestions } = result.feedback;
  const reason = [
    'This password is too easy to guess.',
    warning,
    ...(suggestions.length ? suggestions : ['Add more words that are less common.']),
  ]
    .filter(Boolean)
    .join(' ');
  throw badRequest(reason, [{ path: field, message: reason }]);
}
