/**
 * Who is connected to this process, counted by socket so that a second tab closing does not
 * mark its owner offline. One process holds the truth for itself; shared presence across
 * instances goes through Redis (issue #5) behind the same methods.
 */
export class Presence {
  private readonly agents = new Map<string, number>();
  private readonly visitors = new Map<string, number>();
  private agentsAvailableNow = false;

  /** True for the agent's first socket. */
  agentConnected(id: string): boolean {
    return increment(this.agents, id) === 1;
  }
  /** True when the agent's last socket left. */
  agentDisconnected(id: string): boolean {
    return decrement(this.agents, id) === 0;
  }
  visitorConnected(id: string): boolean {
    return increment(this.visitors, id) === 1;
  }
  visitorDisconnected(id: string): boolean {
    return decrement(this.visitors, id) === 0;
  }
  isVisitorOnline(id: string): boolean {
    return this.visitors.has(id);
  }
  connectedAgentIds(): string[] {
    return [...this.agents.keys()];
  }
  agentsAvailable(): boolean {
    return this.agentsAvailableNow;
  }
  /** Records whether any agent can take chats; true when that changed. */
  setAgentsAvailable(available: boolean): boolean {
    const changed = available !== this.agentsAvailableNow;
    this.agentsAvailableNow = available;
    return changed;
  }
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
