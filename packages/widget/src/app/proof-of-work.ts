import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';
import type { PowChallenge, ProofOfWork } from '@parley/protocol';

// The proof of work the server asks of the offline form and a transcript (issue 36): about a
// second of this device's work, done while the message shows as sending. A chunk of its own,
// fetched only when a proof is asked (lazy.tsx).

/** Solves the challenge, or null when it cannot be (too slow, or not a challenge). */
export async function solveProof(challenge: PowChallenge): Promise<ProofOfWork | null> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 60_000 }).catch(
    () => null,
  );
  return solution && { challenge, solution };
}
