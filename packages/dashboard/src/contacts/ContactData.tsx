import type { Contact, ContactListReply } from '@parley/protocol';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { Download, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { call, callForFile } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { visitorLabel } from '../conversations/visitor-label';
import { Button, Card } from '../ui/controls';
import { saveFile } from '../ui/save-file';
import { exportFileName } from './export-name';
import type { ContactsState } from './list-state';

/**
 * A person's data, for admins: all of it as one download (their right of access), or erased
 * for good (their right to erasure), behind a dialog that says what goes. Both act on this
 * visitor record only; their other records are each erased from their own page.
 */
export function ContactData({
  contact,
  related,
  back,
}: {
  contact: Contact;
  related: readonly Contact[];
  /** The list's search to return to once they are erased. */
  back: string;
}) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const label = visitorLabel(contact);
  const download = useSave({
    save: () => callForFile('exportContact', { body: { visitorId: contact.id } }),
    onSaved: (zip) => saveFile(zip, exportFileName(contact, new Date())),
    done: 'Export downloaded',
  });
  const erase = useSave({
    save: () => call('eraseContact', { body: { visitorId: contact.id } }),
    onSaved: () => {
      // Gone from every list at once, before the lists are asked for again.
      qc.setQueriesData<InfiniteData<ContactListReply>>({ queryKey: keys.contactLists }, (d) =>
        d
          ? {
              ...d,
              pages: d.pages.map((p) => ({
                ...p,
                items: p.items.filter((c) => c.id !== contact.id),
              })),
            }
          : d,
      );
      qc.removeQueries({ queryKey: keys.contact(contact.id) });
      const state: ContactsState = { erased: label };
      void navigate(`/contacts${back}`, { state });
    },
    invalidates: [keys.contactLists, keys.conversationLists, keys.onlineVisitorLists],
  });

  return (
    <Card title="Their data">
      <div className="space-y-4 text-sm text-slate-700">
        <div className="space-y-2">
          <p>
            Everything Parley holds about {label}, as one zip: <code>contact.json</code> and the
            files of their conversations.
          </p>
          <Button variant="secondary" onClick={() => download.run()} disabled={download.busy}>
            <Download aria-hidden className="h-4 w-4" />
            {download.busy ? 'Preparing…' : 'Export'}
          </Button>
        </div>
        <div className="space-y-2">
          <p>Erase {label} and everything Parley holds about them, for good.</p>
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={erase.busy}>
            <Trash2 aria-hidden className="h-4 w-4" />
            Erase…
          </Button>
        </div>
      </div>
      {confirming ? (
        <EraseDialog
          contact={contact}
          related={related.length}
          busy={erase.busy || erase.saved}
          onErase={() => erase.run()}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </Card>
  );
}

/** What erasing takes away, said in full before it is done; Cancel is where the focus starts. */
function EraseDialog({
  contact,
  related,
  busy,
  onErase,
  onClose,
}: {
  contact: Contact;
  related: number;
  busy: boolean;
  onErase: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const label = visitorLabel(contact);
  const n = contact.conversationCount;
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="erase-title"
      aria-describedby="erase-what"
      className="m-auto w-[min(32rem,calc(100%-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40"
    >
      <div className="space-y-3 px-4 py-4 text-sm text-slate-700">
        <h2 id="erase-title" className="text-base font-semibold text-slate-900">
          Erase {label}?
        </h2>
        <div id="erase-what" className="space-y-3">
          <p>This deletes, for good:</p>
          <ul className="list-disc space-y-1 pl-5">
            <li>
              their record: name, email, attributes, the site&apos;s id for them, browser and IP
            </li>
            <li>
              {n} {n === 1 ? 'conversation' : 'conversations'}, with every message, note and file
            </li>
            <li>
              the pages they visited, emails still waiting to go to them, and webhook deliveries
              about them
            </li>
            <li>their entries in search</li>
          </ul>
          <p>
            Reports keep the messages counted on past days; their conversations no longer count. A
            record that someone was erased stays, with when and by whom, but nothing about them.
          </p>
          {related > 0 ? (
            <p>
              Their {related === 1 ? 'other record' : `${related} other records`} with the same
              address {related === 1 ? 'stays' : 'stay'}: erase each from its own page.
            </p>
          ) : null}
          <p className="font-medium text-red-700">This cannot be undone.</p>
        </div>
        <div className="flex flex-wrap justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" onClick={onErase} disabled={busy}>
            {busy ? 'Erasing…' : `Erase ${label}`}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
