import { part } from './lazy.js';

/**
 * The proof of work the offline form and a transcript are asked (altcha's solver), a part of
 * its own (parts.ts): in a module apart, since api.ts, which the other parts use, needs it.
 */
export const proofPart = part(() => import('./proof-of-work.js'));
