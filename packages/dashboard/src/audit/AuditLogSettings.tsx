import type { AuditEvent } from '@parley/protocol';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call, callForFile } from '../api/client';
import { useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { Button, Card, Field, LoadMore, SelectField, Spinner, optionsOf } from '../ui/controls';
import { messageOf } from '../ui/errors';
import { saveFile } from '../ui/save-file';
import { formatDateTime } from '../ui/time';
import { actionLabel, auditKinds, dayStart, detailRows } from './audit-actions';

type Filter = { action: string; actorId: string; from: string; to: string };
const noFilter: Filter = { action: '', actorId: '', from: '', to: '' };

/** The filter as the API takes it: days as the instants they begin (the end day included). */
const queryOf = (f: Filter) => ({
  action: f.action || undefined,
  actorId: f.actorId || undefined,
  from: dayStart(f.from),
  to: dayStart(f.to, true),
});

/**
 * Settings → Audit log (admins): who changed what, when, from where and through which token,
 * newest first, filtered, each record's before and after a click away, and the filtered
 * records as a CSV download.
 */
export function AuditLogSettings() {
  const [filter, setFilter] = useState<Filter>(noFilter);
  const users = useUsers().data?.items ?? [];
  const query = queryOf(filter);
  const log = useInfiniteQuery({
    queryKey: keys.auditLog(query),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      call('listAuditEvents', { query: { ...query, cursor: pageParam, limit: 50 }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const download = useSave({
    save: () => callForFile('exportAuditEvents', { query }),
    onSaved: (csv) =>
      saveFile(csv, `parley-audit-log-${new Date().toISOString().slice(0, 10)}.csv`),
    done: 'Audit log downloaded',
  });
  const set = (change: Partial<Filter>) => setFilter({ ...filter, ...change });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(filter).some(Boolean);

  return (
    <div className="max-w-4xl space-y-4">
      <Card
        title="Audit log"
        actions={
          <Button variant="secondary" onClick={() => download.run()} disabled={download.busy}>
            Download CSV
          </Button>
        }
      >
        <p className="mb-3 text-sm text-slate-600">
          Sign-ins, changes to people, tokens, webhooks and settings, and secrets revealed: who did
          it, when, from which address and through which API token. Records cannot be changed or
          deleted; they go after the period set in Retention.
        </p>
        <form
          className="grid grid-cols-2 gap-3 lg:grid-cols-4"
          aria-label="Filter the audit log"
          onSubmit={(e) => e.preventDefault()}
        >
          <div className="col-span-2 lg:col-span-1">
            <SelectField
              label="What"
              value={filter.action}
              onChange={(e) => set({ action: e.target.value })}
              options={[{ value: '', label: 'Everything' }, ...optionsOf(auditKinds)]}
            />
          </div>
          <div className="col-span-2 lg:col-span-1">
            <SelectField
              label="Who"
              value={filter.actorId}
              onChange={(e) => set({ actorId: e.target.value })}
              options={[
                { value: '', label: 'Anyone' },
                ...users.map((u) => ({ value: u.id, label: u.name })),
              ]}
            />
          </div>
          <Field
            label="From"
            type="date"
            value={filter.from}
            max={filter.to || undefined}
            onChange={(e) => set({ from: e.target.value })}
          />
          <Field
            label="To"
            type="date"
            value={filter.to}
            min={filter.from || undefined}
            onChange={(e) => set({ to: e.target.value })}
          />
        </form>
        {filtered ? (
          <Button variant="ghost" className="mt-2" onClick={() => setFilter(noFilter)}>
            Clear filters
          </Button>
        ) : null}
      </Card>

      <Card>
        {log.isPending ? <Spinner /> : null}
        {log.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {messageOf(log.error)}
          </p>
        ) : null}
        {!log.isPending && !log.isError && items.length === 0 ? (
          <p className="text-sm text-slate-600">
            {filtered ? 'No records match these filters.' : 'Nothing recorded yet.'}
          </p>
        ) : null}
        <ul className="divide-y divide-slate-100" aria-label="Audit records">
          {items.map((e) => (
            <AuditRow key={e.id} event={e} />
          ))}
        </ul>
        <div className="mt-3">
          <LoadMore list={log} />
        </div>
      </Card>
    </div>
  );
}

/** "Created an API token" after a name: "Alice created an API token". */
const sentenceOf = (action: string) => {
  const label = actionLabel(action);
  return label.charAt(0).toLowerCase() + label.slice(1);
};

function AuditRow({ event: e }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  const rows = detailRows(e.details);
  const failed = e.action === 'sign_in.failed';
  const target = e.target?.name ?? null;
  return (
    <li className="py-2 text-sm" data-testid="audit-record">
      <div className="flex flex-wrap items-start gap-x-3 gap-y-1">
        <div className="w-full min-w-0 sm:w-auto sm:flex-1">
          {failed ? (
            // Nobody is known: the name is what was typed, and the target the account it named.
            <p className="break-words">
              <span className="text-red-700">Failed sign-in</span> as{' '}
              <span className="font-medium text-slate-900">{e.actor.name}</span>
              {target ? ` (${target}’s account)` : ''}
            </p>
          ) : (
            <p className="break-words">
              <span className="font-medium text-slate-900">{e.actor.name}</span>{' '}
              <span className="text-slate-800">{sentenceOf(e.action)}</span>
              {target && target !== e.actor.name ? (
                <>
                  {': '}
                  <span className="font-medium text-slate-900">{target}</span>
                </>
              ) : null}
            </p>
          )}
          <p className="break-words text-xs text-slate-600">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            {e.ip ? ` · from ${e.ip}` : ''}
            {e.token ? ` · through token ${e.token.name ?? e.token.id}` : ''}
          </p>
        </div>
        {rows.length > 0 ? (
          <Button variant="ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? 'Hide details' : 'Details'}
          </Button>
        ) : null}
      </div>
      {open ? <Details rows={rows} /> : null}
    </li>
  );
}

/** Before and after, one line per value that changed; other facts with their value alone. */
function Details({ rows }: { rows: ReturnType<typeof detailRows> }) {
  const change = rows.some((r) => r.before !== undefined);
  return (
    <div className="mt-2 overflow-x-auto rounded-md border border-slate-200">
      <table className="w-full text-left text-xs">
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            <th scope="col" className="px-2 py-1 font-medium">
              Setting
            </th>
            {change ? (
              <th scope="col" className="px-2 py-1 font-medium">
                Before
              </th>
            ) : null}
            <th scope="col" className="px-2 py-1 font-medium">
              {change ? 'After' : 'Value'}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.path} className="align-top">
              <th scope="row" className="px-2 py-1 font-mono font-normal text-slate-700">
                {r.path}
              </th>
              {change ? (
                <td className="break-all px-2 py-1 text-slate-800">{r.before ?? '—'}</td>
              ) : null}
              <td className="break-all px-2 py-1 text-slate-900">{r.after ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
