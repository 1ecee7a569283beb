import { z } from 'zod';

// A proof of work (issue 36): what keeps a script from using the offline form and the
// visitor's transcript button as a free mailer, without tracking anyone. The server signs a
// challenge (ALTCHA's format, `altcha-lib`), the widget finds the counter that solves it (about
// a second of a phone's work), and the solution is accepted once. docs/architecture.md
// "Security".

const hex = (max: number) =>
  z
    .string()
    .regex(/^[0-9a-f]*$/i)
    .max(max);

/** A challenge as the server signed it: what `proof_required` carries in its details. */
export const PowChallenge = z.object({
  parameters: z.object({
    algorithm: z.string().max(32),
    nonce: hex(128),
    salt: hex(128),
    cost: z.number().int().positive().max(1_000_000),
    keyLength: z.number().int().positive().max(64),
    keyPrefix: hex(128),
    keySignature: z.string().max(256).optional(),
    expiresAt: z.number().int().positive().optional(),
  }),
  signature: z.string().max(256),
});
export type PowChallenge = z.infer<typeof PowChallenge>;

/** A solved challenge, sent with the request it was asked for. */
export const ProofOfWork = z.object({
  challenge: PowChallenge,
  solution: z.object({
    counter: z.number().int().min(0).max(0xffffffff),
    derivedKey: hex(128),
    time: z.number().nonnegative().optional(),
  }),
});
export type ProofOfWork = z.infer<typeof ProofOfWork>;

/** The details of `proof_required`: the challenge to solve and send again with. */
export type ProofRequiredDetails = { challenge: PowChallenge };
