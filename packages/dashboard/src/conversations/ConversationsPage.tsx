import { MessagesSquare } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ChatWindow } from './ChatWindow';
import { ConversationList } from './ConversationList';
import { InstallWidget, useNoConversationsYet } from './FirstRun';
import { useConversation } from './hooks';
import { VisitorPanel } from './VisitorPanel';

/**
 * List, chat, visitor: three columns at 1280 px; the visitor panel slides over below 1280. On a
 * phone (below 768 px) one pane at a time: the list, the open chat, or its visitor, each with a
 * way back.
 */
export function ConversationsPage() {
  const { id } = useParams();
  const [visitorOpen, setVisitorOpen] = useState(false);
  const noneYet = useNoConversationsYet();
  useEffect(() => setVisitorOpen(false), [id]);
  return (
    <div className="relative flex h-full min-h-0">
      {/* Outside the panes: on a phone the list is hidden while a chat is open, its title not. */}
      <h1 className="sr-only">Conversations</h1>
      {/* On a phone the open chat, or before the first chat the install steps, take the page. */}
      <div className={`${id || noneYet ? 'hidden md:block' : 'w-full'} shrink-0 md:w-64 lg:w-80`}>
        <ConversationList selectedId={id} />
      </div>
      <div className={`${id || noneYet ? '' : 'hidden md:block'} min-w-0 flex-1`}>
        {id ? (
          <ChatWindow key={id} id={id} onShowVisitor={() => setVisitorOpen(true)} />
        ) : noneYet ? (
          <div className="h-full overflow-y-auto">
            <InstallWidget />
          </div>
        ) : (
          <div className="flex h-full flex-col items-center justify-center gap-2 px-6 text-center text-slate-600">
            <MessagesSquare aria-hidden className="h-10 w-10 text-slate-400" />
            <p>
              Pick a conversation. Use j / k and Enter to move through the list, ? for all keys.
            </p>
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
        <div className="absolute inset-0 z-20 md:left-auto md:w-80 md:shadow-xl xl:hidden">
          <VisitorPanel visitorId={visitorId} onClose={onClose} />
        </div>
      ) : null}
    </>
  );
}
