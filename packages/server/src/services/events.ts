import { EventEmitter } from 'node:events';
import type { AgentStatus, ConversationListItem, Message, Visitor } from '@parley/protocol';

/**
 * Domain facts, announced once by the service that caused them. The realtime broadcaster is the
 * one listener that maps each to rooms and payloads (see realtime/broadcaster.ts).
 */
export type DomainEventMap = {
  /** `senderSocket`: the socket it came from, which has it in its ack and is not sent it again. */
  messageCreated: [{ message: Message; visitorId: string; senderSocket?: string }];
  /** Carries the conversation as created: routing may change it a moment later. */
  conversationCreated: [{ conversation: ConversationListItem }];
  conversationUpdated: [{ conversationId: string }];
  conversationDeleted: [{ conversationId: string; visitorId: string }];
  visitorUpdated: [{ visitor: Visitor }];
  agentStatusChanged: [{ agentId: string; status: AgentStatus }];
  availabilityChanged: [{ agentsOnline: boolean }];
  messagesRead: [
    { conversationId: string; visitorId: string; reader: 'visitor' | 'agent'; seq: number },
  ];
  /** Sessions revoked: the user's sockets must go too. */
  userSignedOut: [{ userId: string }];
};

export class DomainEvents extends EventEmitter<DomainEventMap> {}
