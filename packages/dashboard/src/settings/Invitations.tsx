import type { Invitation, InvitationSentReply, Role } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/client';
import { useEmailOn } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { CardRow, CardTable } from '../ui/CardTable';
import { ShownOnce } from './ShownOnce';
import { Button, Card, Field, SelectField } from '../ui/controls';

const roleOptions = [
  { value: 'agent', label: 'Agent' },
  { value: 'admin', label: 'Admin' },
];
const roleOf = (value: FormDataEntryValue | null): Role => (value === 'admin' ? 'admin' : 'agent');
const columns = [
  { label: 'Invited' },
  { label: 'Role' },
  { label: 'Expires' },
  { label: <span className="sr-only">Actions</span> },
];

/** The page the invited person opens: the token in the fragment, which no server logs. */
const linkOf = (token: string) => `${window.location.origin}/invite#${token}`;
const day = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/**
 * Settings → Team, for admins: "Add an agent" invites them (they choose their own password
 * through the link), then the invitations not used yet, each with a new link or its revocation.
 */
export function Invitations() {
  const emailOn = useEmailOn();
  const [shown, setShown] = useState<InvitationSentReply | null>(null);
  const list = useQuery({ queryKey: keys.invitations, queryFn: () => call('listInvitations') });
  const pending = list.data?.items ?? [];
  const sentSaid = (reply: InvitationSentReply) =>
    reply.emailed ? `Invitation emailed to ${reply.invitation.email}` : null;

  const invite = useSave({
    save: (form: HTMLFormElement) => {
      const data = new FormData(form);
      return call('createInvitation', {
        body: {
          name: String(data.get('name')),
          email: String(data.get('email')),
          role: roleOf(data.get('role')),
          capacity: Number(data.get('capacity')),
        },
      });
    },
    onSaved: (reply, form) => {
      form.reset();
      setShown(reply.token ? reply : null);
    },
    done: sentSaid,
    invalidates: [keys.invitations],
  });
  const renew = useSave({
    save: (i: Invitation) => call('renewInvitation', { params: { id: i.id }, body: {} }),
    onSaved: (reply) => setShown(reply.token ? reply : null),
    done: sentSaid,
    invalidates: [keys.invitations],
  });
  const revoke = useSave({
    save: (i: Invitation) => call('revokeInvitation', { params: { id: i.id } }),
    onSaved: (_, i) => setShown((s) => (s?.invitation.id === i.id ? null : s)),
    done: (_, i) => `Invitation of ${i.email} revoked`,
    invalidates: [keys.invitations],
  });

  return (
    <>
      <Card title="Add an agent">
        {shown?.token ? (
          <InvitationLink sent={shown} token={shown.token} onDone={() => setShown(null)} />
        ) : null}
        <p className="mb-3 text-sm text-slate-700">
          {emailOn === false
            ? 'Email is off, so Parley cannot send the invitation: you get a link to give them. '
            : 'Parley emails them a link. '}
          They choose their own password through it, once, within 7 days.
        </p>
        <form onSubmit={submitted(invite.run)} className="grid gap-3 md:grid-cols-2">
          <Field label="Name" name="name" required />
          <Field label="Email" name="email" type="email" required />
          <SelectField label="Role" name="role" defaultValue="agent" options={roleOptions} />
          <Field
            label="Chats at once"
            name="capacity"
            type="number"
            min={0}
            max={100}
            defaultValue={5}
            required
          />
          <div className="md:col-span-2">
            <Button type="submit" disabled={invite.busy}>
              {emailOn === false ? 'Create invitation link' : 'Send invitation'}
            </Button>
          </div>
        </form>
      </Card>
      {pending.length > 0 ? (
        <Card title="Invitations">
          <CardTable columns={columns}>
            {pending.map((i) => {
              const expired = new Date(i.expiresAt).getTime() <= Date.now();
              return (
                <CardRow key={i.id} data-testid={`invitation-${i.email}`}>
                  <td className="py-2 pr-3 max-md:block max-md:py-0.5">
                    <span className="font-medium text-slate-900">{i.name}</span>
                    <span className="block text-xs text-slate-600">
                      {i.email}
                      {i.invitedBy ? ` · invited by ${i.invitedBy.name}` : ''}
                    </span>
                  </td>
                  <td className="py-2 pr-3 max-md:inline-block max-md:py-0.5 max-md:pr-2">
                    {i.role}
                  </td>
                  <td className="py-2 pr-3 max-md:inline-block max-md:py-0.5">
                    <span className={expired ? 'text-red-700' : 'text-slate-700'}>
                      {expired ? `Expired ${day(i.expiresAt)}` : `Until ${day(i.expiresAt)}`}
                    </span>
                  </td>
                  <td className="py-2 max-md:block max-md:py-1">
                    <span className="flex flex-wrap gap-2 md:justify-end">
                      <Button
                        variant="secondary"
                        disabled={renew.busy}
                        onClick={() => renew.run(i)}
                        aria-label={`${emailOn === false ? 'Copy new link' : 'Resend'}: ${i.email}`}
                      >
                        {emailOn === false ? 'Copy new link' : 'Resend'}
                      </Button>
                      <Button
                        variant="danger"
                        disabled={revoke.busy}
                        onClick={() => revoke.run(i)}
                        aria-label={`Revoke the invitation of ${i.email}`}
                      >
                        Revoke
                      </Button>
                    </span>
                  </td>
                </CardRow>
              );
            })}
          </CardTable>
        </Card>
      ) : null}
    </>
  );
}

/**
 * An invitation's link, shown this once: the server keeps only its fingerprint. The panel takes
 * the focus, so that it is seen (and read out) first.
 */
function InvitationLink({
  sent,
  token,
  onDone,
}: {
  sent: InvitationSentReply;
  token: string;
  onDone: () => void;
}) {
  const link = linkOf(token);
  return (
    <ShownOnce
      id="invitation-link-title"
      title={`Invitation link for ${sent.invitation.name}`}
      value={link}
      testId="invitation-link"
      copyLabel="Copy link"
      copied={{ done: 'Link copied', failed: 'Copy failed: select the link instead' }}
      onDone={onDone}
    >
      <strong>Copy it now: you won&apos;t see it again.</strong> Give it to {sent.invitation.email}{' '}
      yourself; it works once, until {day(sent.invitation.expiresAt)}.
    </ShownOnce>
  );
}
