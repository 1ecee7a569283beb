import type { Attachment } from '@parley/protocol';
import { load, save } from './storage.js';

/** A message the visitor typed that the server has not acknowledged yet. */
export type OutboxItem = {
  clientId: string;
  /** Null until the visitor has a conversation: the item then starts one. */
  conversationId: string | null;
  /** May be empty when files are sent. */
  content: string;
  /**
   * Files already uploaded (only those: the composer sends when every upload is done), so the
   * item holds all it needs to be sent again after a reload.
   */
  files?: Attachment[];
  /** The department the visitor chose, for the item that starts a conversation. */
  teamId?: string;
  createdAt: string;
};

const KEY = 'outbox';

const isItem = (v: unknown): v is OutboxItem => {
  if (typeof v !== 'object' || v === null) return false;
  const o: Record<string, unknown> = { ...v };
  return (
    typeof o.clientId === 'string' &&
    (o.conversationId === null || typeof o.conversationId === 'string') &&
    typeof o.content === 'string' &&
    (o.files === undefined || Array.isArray(o.files)) &&
    typeof o.createdAt === 'string'
  );
};

/** What a previous page left unsent; whatever is not a well-formed item is dropped. */
export function loadOutbox(): OutboxItem[] {
  const stored = load(KEY);
  return Array.isArray(stored) ? stored.filter(isItem) : [];
}

/** Written on every change, so that a reload or a crash between two sends loses nothing. */
export const saveOutbox = (items: OutboxItem[]) => save(KEY, items.length ? items : null);

/** A v4 UUID; crypto.randomUUID needs a secure context, which a plain-http site is not. */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
