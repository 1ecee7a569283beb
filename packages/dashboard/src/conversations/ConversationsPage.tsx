import { MessagesSquare } from 'lucide-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ChatWindow } from './ChatWindow';
import { ConversationList } from './ConversationList';
import { useConversation } from './hooks';
import { VisitorPanel } from './VisitorPanel';

/**
 * List, chat, visitor: three columns at 1280 px; the visitor panel slides over below 1280. On a
 * phone (below 768 px) one at a time: the list, or the open chat.
 */
export function ConversationsPage() {
  const { id } = useParams();
  const [visitorOpen, setVisitorOpen] = useState(false);
  return (
    <div className="flex h-full min-h-0">
      <div className={`${id ? 'hidden md:block' : 'w-full'} shrink-0 md:w-64 lg:w-80`}>
        <ConversationList selectedId={id} />
      </div>
      <div className={`${id ? '' : 'hidden md:block'} min-w-0 flex-1`}>
        {id ? (
          <ChatWindow key={id} id={id} onShowVisitor={() => setVisitorOpen(true)} />
        ) : (
          <div className="flex h-full flex-col items-center justify-center gap-2 text-slate-600">
            <MessagesSquare aria-hidden className="h-10 w-10 text-slate-400" />
            <p>Pick a conversation. Use j / k and Enter to move through the list.</p>
          </div>
        )}
      </div>
      {id ? <SidePanel id={id} open={visitorOpen} onClose={() => setVisitorOpen(false)} /> : null}
    </div>
  );
}

function SidePanel({ id, open, onClose }: { id: string; open: boolean; onClose: () => void }) {
  const visitorId = useConversation(id).data?.conversation.visitorId;
  if (!visitorId) return null;
  return (
    <>
      <div className="hidden w-72 shrink-0 xl:block">
        <VisitorPanel visitorId={visitorId} />
      </div>
      {open ? (
        <div className="fixed inset-y-0 right-0 z-20 w-80 shadow-xl xl:hidden">
          <VisitorPanel visitorId={visitorId} onClose={onClose} />
        </div>
      ) : null}
    </>
  );
}
