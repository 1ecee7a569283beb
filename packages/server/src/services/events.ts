import { EventEmitter } from 'node:events';
import type {
  AgentStatus,
  Conversation,
  ConversationListItem,
  Message,
  Visitor,
} from '@parley/protocol';

/**
 * Domain facts, announced once by the service that caused them. Each outlet maps them to its
 * own recipients: the sockets' outlet to rooms and payloads (outlets/sockets.ts), the email and
 * webhook outlets to jobs (outlets/email.ts, outlets/webhooks.ts), all started by
 * outlets/index.ts (docs/architecture.md "Outlets and jobs").
 */
export type DomainEventMap = {
  /** `senderSocket`: the socket it came from, which has it in its ack and is not sent it again. */
  messageCreated: [{ message: Message; visitorId: string; senderSocket?: string }];
  /** Carries the conversation as created: routing may change it a moment later. */
  conversationCreated: [{ conversation: ConversationListItem }];
  conversationUpdated: [{ conversationId: string }];
  /**
   * Given to `conversation.assigneeId` (routing, assign, transfer); as it is after that. `byId`:
   * the agent who gave it (null: routing), whom nothing needs to tell.
   */
  conversationAssigned: [{ conversation: Conversation; byId: string | null }];
  /** An agent closed it; as it is once closed. */
  conversationClosed: [{ conversation: Conversation }];
  /** Its visitor rated it: `conversation.rating` and `ratingComment`. */
  conversationRated: [{ conversation: Conversation }];
  conversationDeleted: [{ conversationId: string; visitorId: string }];
  visitorUpdated: [{ visitor: Visitor }];
  /** A person's data was erased: this visitor record, and everything of theirs. */
  contactErased: [{ visitorId: string; siteId: string; erasedAt: string }];
  /** A ban was made: of this visitor record, and/or this address or network. */
  visitorsBanned: [{ visitorId: string | null; address: string | null }];
  agentStatusChanged: [{ agentId: string; status: AgentStatus }];
  availabilityChanged: [{ siteId: string; agentsOnline: boolean }];
  messagesRead: [
    { conversationId: string; visitorId: string; reader: 'visitor' | 'agent'; seq: number },
  ];
  /**
   * Sign-ins ended (a browser's session family, an API token's id): their sockets must go, and
   * only theirs (another tab, device or token of the same user goes on).
   */
  signInsEnded: [{ sessionIds: string[] }];
  /**
   * These people must set up two-factor sign-in before anything else (an admin began to
   * require it, or reset theirs while it is required): their dashboards' sockets must go, and
   * the handshake turns them away until they have.
   */
  twoFactorRequired: [{ userIds: string[] }];
};

export class DomainEvents extends EventEmitter<DomainEventMap> {}
