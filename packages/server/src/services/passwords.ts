import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's second recommended profile (19 MiB, t=2). @node-rs/argon2 runs on the
// libuv thread pool, so hashing never blocks the event loop.
// `algorithm: 2` is Argon2id (the package exports it as a const enum, unusable here).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// A real hash of a random password: checking an unknown email against it costs what a wrong
// password costs, so the answer's timing says nothing about which emails exist.
let decoy: Promise<string> | undefined;

/** Checks `password` against `passwordHash`, or against a decoy when there is no user. */
export async function checkPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  decoy ??= hashPassword(crypto.randomUUID());
  const target = passwordHash ?? (await decoy);
  const ok = await verify(target, password).catch(() => false);
  return ok && passwordHash !== null;
}
