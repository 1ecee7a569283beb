/** Who is connected: to this process, or with Redis to any instance of the cluster. */
export interface Presence {
  /** True for the agent's first socket anywhere. */
  agentConnected(id: string): Promise<boolean>;
  /** True when the agent's last socket anywhere left. */
  agentDisconnected(id: string): Promise<boolean>;
  visitorConnected(id: string): Promise<boolean>;
  visitorDisconnected(id: string): Promise<boolean>;
  connectedAgentIds(): Promise<string[]>;
  /** Whether any agent could take the site's chats when last computed (cached; cheap to read). */
  agentsAvailable(siteId: string): boolean;
  /** Records whether any agent can take the site's chats; true when that changed. */
  setAgentsAvailable(siteId: string, available: boolean): boolean;
  close(): Promise<void>;
}

/** The cached "is any agent available" per site that both kinds of presence keep per process. */
export abstract class AvailabilityCache {
  private readonly available = new Map<string, boolean>();

  agentsAvailable(siteId: string) {
    return this.available.get(siteId) ?? false;
  }
  setAgentsAvailable(siteId: string, available: boolean) {
    const changed = available !== this.agentsAvailable(siteId);
    this.available.set(siteId, available);
    return changed;
  }
}

/**
 * Presence for one process, counted by socket so that closing one of two tabs changes nothing.
 */
export class LocalPresence extends AvailabilityCache implements Presence {
  private readonly agents = new Map<string, number>();
  private readonly visitors = new Map<string, number>();

  async agentConnected(id: string) {
    return increment(this.agents, id) === 1;
  }
  async agentDisconnected(id: string) {
    return decrement(this.agents, id) === 0;
  }
  async visitorConnected(id: string) {
    return increment(this.visitors, id) === 1;
  }
  async visitorDisconnected(id: string) {
    return decrement(this.visitors, id) === 0;
  }
  async connectedAgentIds() {
    return [...this.agents.keys()];
  }
  async close() {}
}

function increment(map: Map<string, number>, id: string): number {
  const n = (map.get(id) ?? 0) + 1;
  map.set(id, n);
  return n;
}

function decrement(map: Map<string, number>, id: string): number {
  const n = (map.get(id) ?? 1) - 1;
  if (n <= 0) map.delete(id);
  else map.set(id, n);
  return Math.max(n, 0);
}
