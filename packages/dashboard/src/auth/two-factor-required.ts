// Said when the server refuses this person until they set up two-factor sign-in (an admin began
// to require it, or reset theirs): a REST answer or the socket's handshake. The gate
// (TwoFactorGate) then asks at once, instead of at its next check, a minute later at most.
const EVENT = 'parley:two-factor-required';

export function sayTwoFactorRequired(): void {
  window.dispatchEvent(new Event(EVENT));
}

/** Calls `fn` each time it is said; returns the way to stop. */
export function onTwoFactorRequired(fn: () => void): () => void {
  window.addEventListener(EVENT, fn);
  return () => window.removeEventListener(EVENT, fn);
}
