import type { Attachment, ConversationListItem } from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { ThumbsDown, ThumbsUp, Trash2 } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { call } from '../api/client';
import { useMe } from '../auth/AuthProvider';
import { FileDropZone } from '../files/FileDropZone';
import { useFileSettings } from '../files/settings';
import { useUploads } from '../files/useUploads';
import { deletedConversations } from '../realtime/cache';
import { useRealtime } from '../realtime/RealtimeProvider';
import { useStore } from '../realtime/store';
import { Spinner } from '../ui/controls';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { useConversation, useMessages, useMessagesBackTo, useOlderMessages } from './hooks';
import { MessageList, type MessageFocus } from './MessageList';
import { newPending, outboxStore, sendPending, type Pending } from './outbox';

type WindowProps = { id: string; onShowVisitor: () => void };

export function ChatWindow(props: WindowProps) {
  // An admin deleted it while it was open (conversation.deleted): nothing left to load.
  const deleted = useStore(deletedConversations, (ids) => ids.has(props.id));
  if (deleted) return <DeletedChat />;
  return <OpenChat {...props} />;
}

function DeletedChat() {
  return (
    <div
      role="status"
      className="flex h-full flex-col items-center justify-center gap-2 px-6 text-center text-slate-600"
    >
      <Trash2 aria-hidden className="h-10 w-10 text-slate-400" />
      <p className="font-medium text-slate-900">This conversation was deleted</p>
      <p className="text-sm">An admin deleted it, with its messages and files.</p>
      <Link to="/conversations" className="text-sm font-medium text-blue-700 hover:underline">
        Back to conversations
      </Link>
    </div>
  );
}

function OpenChat({ id, onShowVisitor }: WindowProps) {
  const conversation = useConversation(id);
  const item = conversation.data?.conversation;
  const messages = useMessages(id, item?.lastSeq);
  // `?seq=` opens the chat at that message (a search hit); each visit of the link is a new
  // location, so opening the same hit again scrolls to it again.
  const [params] = useSearchParams();
  const { key } = useLocation();
  const seq = Number(params.get('seq'));
  const focus = Number.isInteger(seq) && seq > 0 ? { seq, key } : undefined;
  useMessagesBackTo(id, messages.data, focus?.seq);
  if (conversation.isError) {
    return <p className="p-6 text-sm text-red-700">This conversation could not be loaded.</p>;
  }
  if (!item || !messages.data) return <Spinner label="Loading conversation" />;
  return <Chat item={item} messages={messages.data} focus={focus} onShowVisitor={onShowVisitor} />;
}

function Chat({
  item,
  messages,
  focus,
  onShowVisitor,
}: {
  item: ConversationListItem;
  messages: NonNullable<ReturnType<typeof useMessages>['data']>;
  focus: MessageFocus | undefined;
  onShowVisitor: () => void;
}) {
  const { socket } = useRealtime();
  const qc = useQueryClient();
  const me = useMe();
  const pending = useStore(outboxStore, (all) => all[item.id]) ?? noPending;
  const older = useOlderMessages(item.id, messages);

  // What the agent has on screen counts as read: the visitor's unread badge goes away.
  const lastVisitorSeq = messages.reduce(
    (max, m) => (m.sender === 'visitor' ? Math.max(max, m.seq) : max),
    0,
  );
  const readUpTo = useRef(0);
  useEffect(() => {
    if (lastVisitorSeq === 0 || lastVisitorSeq <= readUpTo.current) return;
    if (document.visibilityState !== 'visible') return;
    readUpTo.current = lastVisitorSeq;
    void call('markRead', { body: { conversationId: item.id, seq: lastVisitorSeq } }).catch(
      () => undefined,
    );
  }, [item.id, lastVisitorSeq]);

  // The files of the message being written: picked in the composer, or dropped on the chat.
  const uploads = useUploads(useFileSettings().data?.settings.maxMb);
  const closed = item.status === 'closed';

  const send = (
    content: string,
    type: 'text' | 'note',
    attachments: Attachment[],
    mentions: string[],
  ) => {
    void sendPending(socket, qc, newPending(item.id, content, type, attachments, mentions));
  };
  const retry = (p: Pending) => void sendPending(socket, qc, p);

  return (
    <FileDropZone disabled={closed} onFiles={uploads.add} className="h-full min-h-0">
      <section aria-label="Chat" className="flex h-full min-h-0 flex-col">
        <ChatHeader item={item} meId={me.id} onShowVisitor={onShowVisitor} />
        <MessageList
          conversationId={item.id}
          messages={messages}
          pending={pending}
          focus={focus}
          hasMore={older.hasMore}
          loadingOlder={older.loading}
          onLoadOlder={() => void older.loadOlder()}
          onRetry={retry}
        />
        {item.rating ? <VisitorRating rating={item.rating} comment={item.ratingComment} /> : null}
        <Composer conversationId={item.id} disabled={closed} uploads={uploads} onSend={send} />
      </section>
    </FileDropZone>
  );
}

const noPending: Pending[] = [];

/** How the visitor rated the chat, with their comment: kept in view under the messages. */
function VisitorRating({ rating, comment }: { rating: 'up' | 'down'; comment: string | null }) {
  const Icon = rating === 'up' ? ThumbsUp : ThumbsDown;
  return (
    <p
      className="flex items-start gap-2 border-t border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700"
      data-testid="visitor-rating"
    >
      <Icon
        aria-hidden
        className={`mt-0.5 h-4 w-4 shrink-0 ${rating === 'up' ? 'text-green-700' : 'text-red-700'}`}
      />
      <span className="min-w-0 break-words">
        The visitor rated this chat {rating === 'up' ? 'good' : 'bad'}
        {comment ? `: “${comment}”` : '.'}
      </span>
    </p>
  );
}
