import type { ConversationListItem, Message } from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, use, useEffect, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { keys } from '../api/keys';
import { useMe } from '../auth/AuthProvider';
import { mentionsMe } from '../conversations/mentions';
import { messageText } from '../conversations/messages';
import { showMentionNotice } from '../notifications/MentionNotice';
import { notifyActivity } from '../notifications/notify';
import { applyRealtime, catchUp } from './cache';
import { createAgentSocket, dashboardVisible, type AgentSocket } from './socket';
import { clearVisitorTyping } from './typing';

export type Connection = 'connecting' | 'connected' | 'reconnecting';
type RealtimeValue = { socket: AgentSocket; connection: Connection };
const RealtimeContext = createContext<RealtimeValue | null>(null);

/** Connects the agent socket for the signed-in session and keeps the query cache live. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  // useNavigate's identity changes with every route change; the socket must not reconnect then.
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  useEffect(() => {
    navigateRef.current = navigate;
  }, [navigate]);
  const [socket] = useState(createAgentSocket);
  const [connection, setConnection] = useState<Connection>('connecting');
  // The same for as long as this provider lives: signing out unmounts it.
  const meId = useMe().id;

  useEffect(() => {
    let everConnected = false;
    const onConnect = () => {
      setConnection('connected');
      // Facts between a page's first fetch and this connect were never seen, so lists are
      // fetched again on every connect; after a drop, missed messages come through sync.
      if (everConnected) void catchUp(socket, queryClient);
      else void queryClient.invalidateQueries({ queryKey: keys.conversationLists });
      everConnected = true;
    };
    const onDisconnect = () => setConnection('reconnecting');
    const offRealtime = applyRealtime(socket, queryClient);
    const onMessage = (m: Message) => {
      const open = () => void navigateRef.current(`/conversations/${m.conversationId}`);
      if (m.sender === 'visitor') {
        clearVisitorTyping(m.conversationId);
        notifyActivity('New message', messageText(m.content, m.attachments.length), open);
      } else if (mentionsMe(m, meId)) {
        showMentionNotice(m, open);
        notifyActivity(
          `${m.senderName ?? 'A teammate'} mentioned you`,
          messageText(m.content, m.attachments.length),
          open,
        );
      }
    };
    // Whether this device's dashboard is in view, for the server's pushes. A socket that is
    // down says it in its next handshake instead.
    const onVisibility = () => {
      if (socket.connected) socket.emit('dashboard.visibility', { visible: dashboardVisible() });
    };
    document.addEventListener('visibilitychange', onVisibility);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('message.created', onMessage);
    const onCreated = (c: ConversationListItem) => {
      notifyActivity(
        'New chat',
        c.lastMessage
          ? messageText(c.lastMessage.content, c.lastMessage.fileCount)
          : 'A visitor started a chat',
        () => void navigateRef.current(`/conversations/${c.id}`),
      );
    };
    socket.on('conversation.created', onCreated);
    socket.connect();
    return () => {
      offRealtime();
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('message.created', onMessage);
      socket.off('conversation.created', onCreated);
      document.removeEventListener('visibilitychange', onVisibility);
      socket.disconnect();
    };
  }, [socket, queryClient, meId]);

  return <RealtimeContext value={{ socket, connection }}>{children}</RealtimeContext>;
}

export function useRealtime(): RealtimeValue {
  const value = use(RealtimeContext);
  if (!value) throw new Error('useRealtime outside RealtimeProvider');
  return value;
}
