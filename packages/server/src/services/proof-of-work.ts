import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { PowChallenge, ProofOfWork, ProofRequiredDetails } from '@parley/protocol';
import { deleteExpiredChallenges, spendChallenge } from '../db/proof-of-work.js';
import { AppError } from '../errors.js';
import type { Context } from '../context.js';

// Proofs of work (issue 36, docs/architecture.md "Security"): a request that can make Parley
// send email or fill an away team's queue carries a challenge solved in the visitor's browser.
// It tracks nobody (no cookie, no fingerprint): it only makes each such request cost a second
// of a device's work, which a person does not notice and a script sending thousands does.
//
// ALTCHA's v2 challenge in its deterministic mode: the server picks the counter, so a solution
// is checked with one key derivation; the browser tries counters from 0 until its key matches.

const ALGORITHM = 'PBKDF2/SHA-256';
/** The counter is drawn in COUNTER, so a solve is ~2,000 tries of `config.proofOfWorkCost`. */
const COUNTER = { min: 1_000, max: 3_000 };
const TTL_MS = 10 * 60_000;
/** How often an instance forgets spent challenges that have expired. */
const SWEEP_MS = 60_000;

let lastSweep = 0;

const secrets = (ctx: Context) => ({
  hmacSignatureSecret: ctx.tokens.subkey('proof-of-work').toString('hex'),
  hmacKeySignatureSecret: ctx.tokens.subkey('proof-of-work-keys').toString('hex'),
});

/** A fresh signed challenge, valid for 10 minutes. */
export async function issueChallenge(ctx: Context): Promise<PowChallenge> {
  const challenge = await createChallenge({
    algorithm: ALGORITHM,
    cost: ctx.config.proofOfWorkCost,
    counter: randomInt(COUNTER.min, COUNTER.max),
    deriveKey,
    expiresAt: new Date(Date.now() + TTL_MS),
    ...secrets(ctx),
  });
  return challenge as PowChallenge;
}

/** Asks for a proof: the error carries a challenge to solve and send again with. */
async function proofRequired(ctx: Context, message: string): Promise<AppError> {
  const details: ProofRequiredDetails = { challenge: await issueChallenge(ctx) };
  return new AppError('proof_required', message, details);
}

/**
 * Accepts a solved challenge once: signed by this server (any instance of it), not expired,
 * solved, and not spent before. Otherwise `proof_required` with a new challenge.
 */
export async function spendProof(ctx: Context, proof: ProofOfWork | undefined): Promise<void> {
  if (!proof) throw await proofRequired(ctx, 'Solve this challenge first');
  const result = await verifySolution({
    challenge: proof.challenge,
    solution: proof.solution,
    deriveKey,
    ...secrets(ctx),
  }).catch(() => null);
  const expiresAt = proof.challenge.parameters.expiresAt;
  if (!result?.verified || !expiresAt) {
    throw await proofRequired(ctx, 'That proof of work is wrong or expired; solve this one');
  }
  if (Date.now() - lastSweep > SWEEP_MS) {
    lastSweep = Date.now();
    await deleteExpiredChallenges(ctx.db);
  }
  const signature = proof.challenge.signature;
  if (!(await spendChallenge(ctx.db, signature, new Date(expiresAt * 1000)))) {
    throw await proofRequired(ctx, 'That proof of work was used already; solve this one');
  }
}
