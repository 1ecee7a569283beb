import type {
  AgentClientEvents,
  AgentServerEvents,
  VisitorClientEvents,
  VisitorServerEvents,
} from '@parley/protocol';
import type { Namespace, Server, Socket } from 'socket.io';
import type { AgentActor, VisitorActor } from '../services/actor.js';

export type AgentSocketData = {
  actor: AgentActor;
  /** conversation id -> its visitor id, learned once, for typing without a query each time. */
  visitorOf: Map<string, string>;
  /** The sign-in of the handshake's access token: when it ends, the socket goes. */
  sessionId: string;
  /** When the access token of the handshake expires: the socket is closed then. */
  expiresAt: number;
  /** The dashboard is in view on its device (it says so on connecting and on each change). */
  visible: boolean;
  /** Settles once the socket's arrival counts in presence: a status set after it comes after. */
  present?: Promise<void>;
};
export type VisitorSocketData = {
  actor: VisitorActor;
  /** The IP address it connected from, as bans see it (null: none that is an IP address). */
  address: string | null;
  /** Conversations verified to be this visitor's; made on the first (most sockets never chat). */
  owned?: Set<string>;
};

type NoEvents = Record<string, never>;
export type AgentNamespace = Namespace<
  AgentClientEvents,
  AgentServerEvents,
  NoEvents,
  AgentSocketData
>;
export type VisitorNamespace = Namespace<
  VisitorClientEvents,
  VisitorServerEvents,
  NoEvents,
  VisitorSocketData
>;
export type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, NoEvents, AgentSocketData>;
export type VisitorSocket = Socket<
  VisitorClientEvents,
  VisitorServerEvents,
  NoEvents,
  VisitorSocketData
>;

/**
 * Socket.io types every namespace with the Server's own event maps, but ours has two
 * namespaces with different maps (declared in protocol). This is the one place that narrows
 * them; everything after it is checked against the protocol's maps.
 */
export function namespaces(io: Server): { agents: AgentNamespace; visitors: VisitorNamespace } {
  return {
    agents: io.of('/agent') as unknown as AgentNamespace,
    visitors: io.of('/visitor') as unknown as VisitorNamespace,
  };
}
