import type {
  ConversationListItem,
  ConversationPatchBody,
  ConversationReply,
  TransferBody,
} from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, CheckCircle2, Info, Mail, RotateCcw, UserPlus } from 'lucide-react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { useEmailOn, useSites, useTeams, useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { useShortcut } from '../keyboard/shortcuts';
import { Button, StatusDot } from '../ui/controls';
import { placeOf } from './place';
import { visitorLabel } from './visitor-label';
import { TagEditor } from './TagEditor';

/** What the header does to the chat: each a route of its own, all replying with the chat. */
type ConversationChange =
  | { action: 'assign'; agentId: string }
  | { action: 'transfer'; body: TransferBody }
  | { action: 'update'; body: ConversationPatchBody };

/** A transfer's choice as the select holds it: a team's id is marked, a person's is bare. */
const TEAM = 'team:';
const transferTo = (value: string): TransferBody =>
  value.startsWith(TEAM) ? { teamId: value.slice(TEAM.length) } : { agentId: value };

/**
 * Who holds the chat, and what can be done with it: assign, transfer, close, reopen, email the
 * transcript, tags.
 */
export function ChatHeader(props: {
  item: ConversationListItem;
  meId: string;
  onShowVisitor: () => void;
}) {
  const { item, meId } = props;
  const qc = useQueryClient();
  const users = useUsers().data?.items ?? [];
  const sites = useSites().data?.items ?? [];
  const teams = useTeams().data?.items ?? [];
  const place = placeOf(item, sites, teams);
  const emailOn = useEmailOn();
  const assignee = users.find((u) => u.id === item.assigneeId);
  const closed = item.status === 'closed';
  const canAssign = !closed && item.assigneeId !== meId;

  const change = useSave({
    save: (what: ConversationChange) => {
      const params = { id: item.id };
      if (what.action === 'update') return call('updateConversation', { params, body: what.body });
      if (what.action === 'transfer') {
        return call('transferConversation', { params, body: what.body });
      }
      return call('assignConversation', { params, body: { agentId: what.agentId } });
    },
    onSaved: (reply) => qc.setQueryData<ConversationReply>(keys.conversation(item.id), reply),
    invalidates: [keys.conversationLists],
  });
  const emailTranscript = useSave({
    save: () => call('sendTranscript', { params: { id: item.id }, body: {} }),
    done: ({ to }) => `Transcript sent to ${to}`,
  });
  const busy = change.busy || emailTranscript.busy;
  const update = (body: ConversationPatchBody) => change.run({ action: 'update', body });

  const assignToMe = () => change.run({ action: 'assign', agentId: meId });
  const close = () => update({ status: 'closed' });
  useShortcut('assign', assignToMe, canAssign && !busy);
  useShortcut('close', close, !closed && !busy);

  return (
    <div className="border-b border-slate-200 bg-white px-4 py-2">
      <div className="flex flex-wrap items-center gap-2">
        <Link
          to="/conversations"
          className="-ml-2 rounded-md p-1 text-slate-700 hover:bg-slate-100 md:hidden"
          aria-label="Back to conversations"
        >
          <ArrowLeft aria-hidden className="h-5 w-5" />
        </Link>
        <div className="min-w-48 flex-1">
          <h2 className="truncate text-base font-semibold text-slate-900">
            {visitorLabel(item.visitor)}
          </h2>
          <p className="text-xs text-slate-600">
            {item.status === 'open'
              ? 'Open'
              : item.status === 'pending'
                ? 'Waiting in queue'
                : 'Closed'}
            {assignee ? ` · with ${assignee.id === meId ? 'you' : assignee.name}` : ' · unassigned'}
          </p>
          {place ? (
            <p className="truncate text-xs text-slate-600" data-testid="chat-place">
              {place}
            </p>
          ) : null}
        </div>
        {canAssign ? (
          <Button variant="secondary" disabled={busy} onClick={assignToMe}>
            <UserPlus aria-hidden className="h-4 w-4" /> Assign to me
          </Button>
        ) : null}
        {!closed ? (
          <label className="flex items-center gap-1 text-sm">
            <span className="sr-only">Transfer to</span>
            <select
              value=""
              disabled={busy}
              aria-label="Transfer to"
              onChange={(e) => {
                if (e.target.value) {
                  change.run({ action: 'transfer', body: transferTo(e.target.value) });
                }
              }}
              className="max-w-32 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm sm:max-w-40"
            >
              <option value="">Transfer…</option>
              {/* To a team: the chat leaves its assignee and waits in that team's queue. */}
              {teams.length > 0 ? (
                <optgroup label="Teams">
                  {teams.map((t) => (
                    <option key={t.id} value={`${TEAM}${t.id}`}>
                      {t.name}
                      {t.hours ? ` (${t.hours.open ? 'open' : 'closed'})` : ''}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              <optgroup label="People">
                {users
                  .filter((u) => u.active && u.id !== item.assigneeId)
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {/* A bot may take a chat back from a person; it is named as one. */}
                      {u.name} ({u.kind === 'bot' ? 'bot' : u.status})
                    </option>
                  ))}
              </optgroup>
            </select>
          </label>
        ) : null}
        {closed ? (
          <Button variant="secondary" disabled={busy} onClick={() => update({ status: 'open' })}>
            <RotateCcw aria-hidden className="h-4 w-4" /> Reopen
          </Button>
        ) : (
          <Button variant="secondary" disabled={busy} onClick={close}>
            <CheckCircle2 aria-hidden className="h-4 w-4" /> Close
          </Button>
        )}
        {emailOn && item.visitor.email ? (
          <Button
            variant="secondary"
            disabled={busy}
            onClick={() => emailTranscript.run()}
            title={`Email this conversation to ${item.visitor.email}`}
          >
            <Mail aria-hidden className="h-4 w-4" />
            <span className="sr-only sm:not-sr-only">Email transcript</span>
          </Button>
        ) : null}
        <Button
          variant="ghost"
          className="xl:hidden"
          onClick={props.onShowVisitor}
          aria-label="Visitor details"
        >
          <Info aria-hidden className="h-4 w-4" />
        </Button>
        {assignee ? (
          <StatusDot status={assignee.status} label={`${assignee.name} is ${assignee.status}`} />
        ) : null}
      </div>
      <TagEditor tags={item.tags} onChange={(tags) => update({ tags })} />
    </div>
  );
}
