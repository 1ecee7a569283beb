import type { Message } from '@parley/protocol';
import { X } from 'lucide-react';
import toast from 'react-hot-toast';

/**
 * Long enough to read the note's first words and follow the link; hovering keeps it longer, and
 * it can be dismissed sooner (on a phone it covers the composer).
 */
const NOTICE_MS = 15_000;

/**
 * "Dana mentioned you in a note", at once, on whatever page the agent is, with the note's first
 * words and a link to its conversation. One notice per note, however often it arrives.
 */
export function showMentionNotice(note: Message, open: () => void): void {
  const who = note.senderName ?? 'A teammate';
  toast(
    (t) => (
      <div className="flex min-w-0 items-start gap-2 text-sm" data-testid="mention-notice">
        <div className="min-w-0">
          <p className="font-semibold">{who} mentioned you in a note</p>
          <p className="line-clamp-2 break-words text-slate-600">{note.content}</p>
          <a
            href={`/conversations/${note.conversationId}`}
            className="font-medium text-blue-700 underline"
            onClick={(e) => {
              // A new tab or window (Ctrl, Shift, a middle click) is the browser's to open.
              if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
              e.preventDefault();
              toast.dismiss(t.id);
              open();
            }}
          >
            Open the conversation
          </a>
        </div>
        <button
          type="button"
          aria-label="Dismiss"
          className="-mr-1 shrink-0 rounded p-1 text-slate-600 hover:bg-slate-100"
          onClick={() => toast.dismiss(t.id)}
        >
          <X aria-hidden className="h-4 w-4" />
        </button>
      </div>
    ),
    { id: `mention-${note.id}`, duration: NOTICE_MS },
  );
}
