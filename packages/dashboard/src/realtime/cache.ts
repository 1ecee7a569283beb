import type {
  AgentStatusChanged,
  ConversationListItem,
  ConversationListReply,
  ConversationReply,
  Message,
  SyncReply,
  UserListReply,
  Visitor,
  VisitorListReply,
  VisitorReply,
} from '@parley/protocol';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { keys } from '../api/keys';
import { mergeMessages, syncCursorOf } from '../conversations/messages';
import type { AgentSocket } from './socket';
import { ACK_TIMEOUT_MS } from './socket';
import { createStore } from './store';
import { applyTyping } from './typing';

type Lists = InfiniteData<ConversationListReply>;

/**
 * Replaces a conversation wherever a list shows it; lists are then refetched for order/filter.
 * Paged lists (the conversation list) and single-page ones (the title's unread count) share
 * the `conversations` key so that one invalidation refreshes both.
 */
function updateConversationEverywhere(qc: QueryClient, item: ConversationListItem): void {
  const replace = (items: ConversationListItem[]) =>
    items.map((c) => (c.id === item.id ? item : c));
  qc.setQueriesData<Lists | ConversationListReply>({ queryKey: keys.conversationLists }, (data) => {
    if (!data) return data;
    if ('pages' in data)
      return { ...data, pages: data.pages.map((p) => ({ ...p, items: replace(p.items) })) };
    return { ...data, items: replace(data.items) };
  });
  qc.setQueryData<ConversationReply>(keys.conversation(item.id), (d) =>
    d ? { conversation: item } : d,
  );
}

/** Conversations an admin deleted while this tab was open: an open one says so. */
export const deletedConversations = createStore<ReadonlySet<string>>(new Set());

/**
 * Forgets a deleted conversation: out of every list at once (no refetch needed for that), its
 * messages dropped. Marked first, so that an open chat shows it was deleted instead of asking
 * the server again for what is gone. Its detail is kept for the panes still showing it; they
 * would only ask for it again, and be told it is not found.
 */
function forgetConversation(qc: QueryClient, id: string): void {
  deletedConversations.set((ids) => new Set(ids).add(id));
  const visitorId = qc.getQueryData<ConversationReply>(keys.conversation(id))?.conversation
    .visitorId;
  const without = (items: ConversationListItem[]) => items.filter((c) => c.id !== id);
  qc.setQueriesData<Lists | ConversationListReply>({ queryKey: keys.conversationLists }, (data) => {
    if (!data) return data;
    if ('pages' in data)
      return { ...data, pages: data.pages.map((p) => ({ ...p, items: without(p.items) })) };
    return { ...data, items: without(data.items) };
  });
  qc.removeQueries({ queryKey: keys.messages(id) });
  // The visitor panel lists the visitor's conversations.
  if (visitorId) void qc.invalidateQueries({ queryKey: keys.visitor(visitorId) });
}

/** Refetches lists at most every 300 ms: a burst of messages costs one request per list. */
function debounced(fn: () => void, ms = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

export function addMessages(qc: QueryClient, conversationId: string, messages: Message[]): void {
  qc.setQueryData<Message[]>(keys.messages(conversationId), (current) =>
    current ? mergeMessages(current, messages) : current,
  );
}

/**
 * Syncs a conversation this tab holds messages of as soon as a broadcast lands past a hole in
 * its seqs: broadcasts were lost on their way (Redis blinked between instances, say) on a
 * connection that stayed up, so no reconnect will sync. One sync in flight per conversation; a
 * gap seen while it runs is looked at again after it, which may have fetched it already.
 */
function gapSyncer(socket: AgentSocket, qc: QueryClient): (conversationId: string) => void {
  const running = new Map<string, Promise<boolean>>();
  const rechecking = new Set<string>();
  const check = (id: string) => {
    const messages = qc.getQueryData<Message[]>(keys.messages(id));
    if (!messages || !socket.connected) return;
    const cursor = syncCursorOf(messages);
    if (cursor >= (messages.at(-1)?.seq ?? 0)) return;
    const sync = running.get(id);
    if (!sync) {
      const started = syncMessages(socket, qc, { [id]: cursor });
      running.set(id, started);
      void started.finally(() => running.delete(id));
      return;
    }
    if (rechecking.has(id)) return;
    rechecking.add(id);
    void sync.then((ok) => {
      rechecking.delete(id);
      if (ok) check(id);
    });
  };
  return check;
}

/** Wires every agent fact to the query cache. Returns the unsubscribe. */
export function applyRealtime(socket: AgentSocket, qc: QueryClient): () => void {
  const refetchLists = debounced(
    () => void qc.invalidateQueries({ queryKey: keys.conversationLists }),
  );
  const syncGap = gapSyncer(socket, qc);
  const onMessage = (m: Message) => {
    addMessages(qc, m.conversationId, [m]);
    syncGap(m.conversationId);
    refetchLists();
  };
  // The server's word that facts may have been lost though this socket stayed connected.
  const onSyncRequired = () => void catchUp(socket, qc);
  const onConversation = (c: ConversationListItem) => {
    updateConversationEverywhere(qc, c);
    // The visitor panel lists the visitor's conversations with their status.
    void qc.invalidateQueries({ queryKey: keys.visitor(c.visitorId) });
    refetchLists();
  };
  const onVisitor = (v: Visitor) => {
    qc.setQueryData<VisitorReply>(keys.visitor(v.id), (d) => (d ? { ...d, visitor: v } : d));
    // Each list of visitors online (all sites, or one site's) shows them while they are online
    // on its site.
    for (const list of qc.getQueryCache().findAll({ queryKey: keys.onlineVisitorLists })) {
      const siteId = list.queryKey[2];
      const shown = v.online && (!siteId || siteId === v.siteId);
      qc.setQueryData<VisitorListReply>(list.queryKey, (d) => {
        if (!d) return d;
        const others = d.items.filter((x) => x.id !== v.id);
        return { ...d, items: shown ? [v, ...others] : others };
      });
    }
    // Page views come only with the visitor's detail: refetch it if it is on screen.
    void qc.invalidateQueries({ queryKey: keys.visitor(v.id) });
  };
  const onDeleted = ({ conversationId }: { conversationId: string }) =>
    forgetConversation(qc, conversationId);
  const onStatus = ({ agentId, status }: AgentStatusChanged) => {
    qc.setQueryData<UserListReply>(keys.users, (d) =>
      d ? { items: d.items.map((u) => (u.id === agentId ? { ...u, status } : u)) } : d,
    );
  };
  socket.on('message.created', onMessage);
  socket.on('conversation.created', refetchLists);
  socket.on('conversation.updated', onConversation);
  socket.on('conversation.deleted', onDeleted);
  socket.on('visitor.updated', onVisitor);
  socket.on('agent.status_changed', onStatus);
  socket.on('messages.read', refetchLists);
  socket.on('typing.changed', applyTyping);
  socket.on('sync.required', onSyncRequired);
  return () => {
    socket.off('message.created', onMessage);
    socket.off('conversation.created', refetchLists);
    socket.off('conversation.updated', onConversation);
    socket.off('conversation.deleted', onDeleted);
    socket.off('visitor.updated', onVisitor);
    socket.off('agent.status_changed', onStatus);
    socket.off('messages.read', refetchLists);
    socket.off('typing.changed', applyTyping);
    socket.off('sync.required', onSyncRequired);
  };
}

/**
 * After a reconnect, or when the server says facts were lost: asks for every message past what
 * this tab holds, merges them (seq makes a message count once), refetches what sync cannot
 * carry (lists, incomplete conversations).
 */
export async function catchUp(socket: AgentSocket, qc: QueryClient): Promise<void> {
  const conversations: Record<string, number> = {};
  for (const query of qc.getQueryCache().findAll({ queryKey: keys.allMessages })) {
    const id = query.queryKey[1];
    const messages = qc.getQueryData<Message[]>(query.queryKey);
    if (typeof id === 'string' && messages) conversations[id] = syncCursorOf(messages);
  }
  void qc.invalidateQueries({ queryKey: keys.conversationLists });
  void qc.invalidateQueries({ queryKey: keys.users });
  void qc.invalidateQueries({ queryKey: keys.onlineVisitorLists });
  if (Object.keys(conversations).length === 0) return;
  await syncMessages(socket, qc, conversations);
}

/** Merges what `sync` returns past the given seqs; false if it got no answer. */
async function syncMessages(
  socket: AgentSocket,
  qc: QueryClient,
  conversations: Record<string, number>,
): Promise<boolean> {
  const reply = await socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('sync', { conversations })
    .catch(() => null);
  if (!reply?.ok) return false;
  const data: SyncReply = reply.data;
  const byConversation = new Map<string, Message[]>();
  for (const m of data.messages)
    byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m]);
  for (const [id, messages] of byConversation) addMessages(qc, id, messages);
  for (const id of data.incomplete) void qc.invalidateQueries({ queryKey: keys.messages(id) });
  return true;
}
