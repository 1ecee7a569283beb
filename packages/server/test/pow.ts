import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { PowChallenge, ProofOfWork, ProofRequiredDetails } from '@parley/protocol';

/** Solves a challenge as the widget does, by trying counters: a real proof, not a bypass. */
export async function solveProof(challenge: PowChallenge): Promise<ProofOfWork> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('the challenge was not solved');
  return { challenge, solution };
}

/** The challenge a `proof_required` error carries. */
export const challengeOf = (error: { details?: unknown }): PowChallenge =>
  (error.details as ProofRequiredDetails).challenge;

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; details?: unknown } };
type StartSocket = {
  timeout(ms: number): { emitWithAck(event: 'conversation.start', payload: object): Promise<any> };
};

/**
 * Starts a conversation as the widget does: while the site is away (the offline form) the
 * server asks a proof of work, which is solved and the same start sent again with it.
 */
export async function startWithProof<T = any>(
  socket: StartSocket,
  payload: object,
): Promise<Ack<T>> {
  const reply = (await socket.timeout(5000).emitWithAck('conversation.start', payload)) as Ack<T>;
  if (reply.ok || reply.error.code !== 'proof_required') return reply;
  const proof = await solveProof(challengeOf(reply.error));
  return socket.timeout(5000).emitWithAck('conversation.start', { ...payload, proof });
}

/** A REST call that may be asked a proof of work (a visitor's transcript): solved and sent again. */
export async function withProof<R extends { status: number; body: any }>(
  call: (proof?: ProofOfWork) => Promise<R>,
): Promise<R> {
  const first = await call();
  if (first.status !== 403 || first.body?.error?.code !== 'proof_required') return first;
  return call(await solveProof(challengeOf(first.body.error)));
}
