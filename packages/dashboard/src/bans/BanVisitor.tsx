import type { Visitor } from '@parley/protocol';
import { Ban } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Button, Field, FormError, optionsOf, SelectField } from '../ui/controls';
import { expiryOf, expiryLabels } from './expiry';

/**
 * "Ban visitor…": a dialog with the reason, how long, and whether their address goes too. The
 * visitor's open widget is told at once and can send nothing more; bans are listed, and lifted,
 * in Settings → Bans.
 */
export function BanVisitor({ visitor }: { visitor: Visitor }) {
  const [open, setOpen] = useState(false);
  const [banned, setBanned] = useState(false);
  return (
    <section>
      <Button variant="secondary" onClick={() => setOpen(true)} className="w-full sm:w-auto">
        <Ban aria-hidden className="h-4 w-4" /> Ban visitor…
      </Button>
      {banned ? (
        <p className="mt-2 text-slate-700" role="status">
          Banned: they can send nothing more.{' '}
          <Link to="/settings/bans" className="text-blue-700 hover:underline">
            See bans
          </Link>
        </p>
      ) : null}
      {open ? (
        <BanDialog
          visitor={visitor}
          onClose={() => setOpen(false)}
          onBanned={() => {
            setBanned(true);
            setOpen(false);
          }}
        />
      ) : null}
    </section>
  );
}

function BanDialog({
  visitor,
  onClose,
  onBanned,
}: {
  visitor: Visitor;
  onClose: () => void;
  onBanned: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const save = useSave({
    save: (form: HTMLFormElement) => {
      const data = new FormData(form);
      return call('createBan', {
        body: {
          visitorId: visitor.id,
          includeAddress: data.get('includeAddress') === 'on',
          reason: String(data.get('reason') ?? ''),
          expiresAt: expiryOf(String(data.get('expiry')), new Date()),
        },
      });
    },
    done: 'Visitor banned',
    invalidates: [keys.bans],
    errorIn: 'form',
    onSaved: onBanned,
  });
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="ban-title"
      className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40"
    >
      <form onSubmit={submitted(save.run)} className="space-y-3 px-4 py-4 text-sm text-slate-700">
        <h2 id="ban-title" className="text-base font-semibold text-slate-900">
          Ban {visitor.name ?? 'this visitor'}?
        </h2>
        <p>
          Their chat will say they can&apos;t send messages, and nothing they send is kept. Their
          conversations stay as they are.
        </p>
        <Field label="Reason" name="reason" maxLength={500} placeholder="Spam, abuse…" />
        <SelectField
          label="For"
          name="expiry"
          defaultValue="7d"
          options={optionsOf(expiryLabels)}
        />
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="includeAddress"
            className="mt-0.5 h-4 w-4 accent-blue-600"
            disabled={!visitor.ip}
          />
          <span>
            Also ban their address{visitor.ip ? ` (${visitor.ip})` : ''}: anyone chatting from
            there, in any browser
          </span>
        </label>
        <FormError error={save.error} />
        <div className="flex flex-wrap justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" type="submit" disabled={save.busy}>
            {save.busy ? 'Banning…' : 'Ban visitor'}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
