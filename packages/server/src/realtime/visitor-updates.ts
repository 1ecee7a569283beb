import type { Visitor } from '@parley/protocol';

/** At most one `visitor.updated` per visitor per this long reaches the agents. */
export const VISITOR_UPDATE_INTERVAL_MS = 1_000;

/**
 * Throttles what one visitor's changes fan out to every agent socket. A visitor's first change
 * goes at once; the changes after it within the interval are folded into the latest, which goes
 * when the interval ends (and starts the next one). Agents so always end with the visitor's
 * last state, and a visitor who changes a hundred times a second costs each of them one event a
 * second. Per instance: a visitor served by two instances may reach agents twice a second.
 */
export class VisitorUpdateThrottle {
  /** Visitors in an interval, with the change to send when it ends (null: nothing new). */
  private readonly held = new Map<string, { latest: Visitor | null }>();

  constructor(
    private readonly send: (visitor: Visitor) => void,
    private readonly intervalMs = VISITOR_UPDATE_INTERVAL_MS,
  ) {}

  push(visitor: Visitor): void {
    const held = this.held.get(visitor.id);
    if (held) {
      held.latest = visitor;
      return;
    }
    this.send(visitor);
    this.hold(visitor.id);
  }

  private hold(id: string) {
    this.held.set(id, { latest: null });
    setTimeout(() => this.release(id), this.intervalMs).unref();
  }

  private release(id: string) {
    const latest = this.held.get(id)?.latest;
    this.held.delete(id);
    if (!latest) return;
    this.send(latest);
    this.hold(id);
  }
}
