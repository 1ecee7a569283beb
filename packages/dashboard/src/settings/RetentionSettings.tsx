import type { RetentionRun, RetentionSettings as Periods } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Card, inputClass, Spinner } from '../ui/controls';
import { FormActions } from '../ui/FormActions';
import { Option } from '../ui/OptionList';
import { formatDateTime } from '../ui/time';
import { changedPeriods, retentionPeriods, shortenedPeriods, type RetentionKey } from './retention';

/** A period as the form holds it: kept forever, or a number of days (NaN while being typed). */
type Draft = Record<RetentionKey, { forever: boolean; days: number }>;

// What a period left "forever" offers as its number of days, once the admin picks a number.
const SUGGESTED_DAYS = 365;

const draftOf = (saved: Periods): Draft => {
  const period = (days: number | null) => ({
    forever: days === null,
    days: days ?? SUGGESTED_DAYS,
  });
  return {
    closedConversationDays: period(saved.closedConversationDays),
    idleVisitorDays: period(saved.idleVisitorDays),
    webhookLogDays: period(saved.webhookLogDays),
    doneJobDays: period(saved.doneJobDays),
    auditLogDays: period(saved.auditLogDays),
  };
};

const periodsOf = (draft: Draft): Periods => {
  const days = (key: RetentionKey) => (draft[key].forever ? null : draft[key].days);
  return {
    closedConversationDays: days('closedConversationDays'),
    idleVisitorDays: days('idleVisitorDays'),
    webhookLogDays: draft.webhookLogDays.days,
    doneJobDays: draft.doneJobDays.days,
    auditLogDays: draft.auditLogDays.days,
  };
};

/**
 * Settings → Retention: how long Parley keeps what it holds, each period "forever" or a number
 * of days, and what the retention job deleted last time. A shorter period deletes data at the
 * next run, which saving starts: the admin confirms that first.
 */
export function RetentionSettings() {
  const qc = useQueryClient();
  const [watchUntil, setWatchUntil] = useState(0);
  const saved = useQuery({
    queryKey: keys.retentionSettings,
    queryFn: () => call('getRetentionSettings'),
    // While a run goes on its figures grow, and a save that shortened a period starts one.
    refetchInterval: (query) =>
      query.state.data?.lastRun?.finishedAt === null || Date.now() < watchUntil ? 3000 : false,
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  // The settings keep their identity across refetches while unchanged (structural sharing), so a
  // refetch of the run's figures leaves the admin's edits alone.
  const settings = saved.data?.settings;
  useEffect(() => {
    if (settings) setDraft(draftOf(settings));
  }, [settings]);
  const save = useSave({
    save: (change: Partial<Periods>) => call('updateRetentionSettings', { body: change }),
    onSaved: (reply) => qc.setQueryData(keys.retentionSettings, reply),
    done: 'Retention settings saved',
    errorIn: 'form',
  });
  if (!saved.data || !settings || !draft) return <Spinner />;

  const next = periodsOf(draft);
  const change = changedPeriods(settings, next);
  const submit = () => {
    if (!change) return;
    const shorter = shortenedPeriods(settings, next);
    const sure =
      shorter.length === 0 ||
      window.confirm(
        `Keep data for less time?\n\n${shorter.join('\n')}\n\nWhat is older than that is deleted at once, in small batches, and cannot be recovered. Reports keep their counts.`,
      );
    if (!sure) return;
    if (shorter.length > 0) setWatchUntil(Date.now() + 30_000);
    save.run(change);
  };

  return (
    <div className="space-y-4">
      <Card title="Retention">
        <form onSubmit={submitted(submit)} className="max-w-2xl space-y-5">
          <p className="text-sm text-slate-600">
            How long Parley keeps what it holds. Once a period ends, the retention job deletes it in
            small batches, every hour, while chats go on. Reports keep their counts: they are read
            from daily totals, which stay.
          </p>
          {retentionPeriods.map((period) => (
            <PeriodField
              key={period.key}
              period={period}
              value={draft[period.key]}
              onChange={(value) => setDraft({ ...draft, [period.key]: value })}
            />
          ))}
          <FormActions
            submit="Save"
            busy={save.busy}
            disabled={change === null}
            error={save.error}
          />
        </form>
      </Card>
      <LastRun run={saved.data.lastRun} />
    </div>
  );
}

/** One period: "Keep forever" or "Delete after N days" where it may be forever, else N days. */
function PeriodField({
  period,
  value,
  onChange,
}: {
  period: (typeof retentionPeriods)[number];
  value: Draft[RetentionKey];
  onChange: (value: Draft[RetentionKey]) => void;
}) {
  const id = useId();
  const daysInput = (
    <input
      id={`${id}-days`}
      type="number"
      min={period.min}
      max={period.max}
      step={1}
      required
      disabled={value.forever}
      aria-label={`${period.label}: days kept`}
      value={Number.isFinite(value.days) ? value.days : ''}
      onChange={(e) => onChange({ forever: false, days: e.target.valueAsNumber })}
      className={`${inputClass} max-w-28 disabled:bg-slate-100 disabled:text-slate-500`}
    />
  );
  return (
    <fieldset className="space-y-2" data-testid="retention-period">
      <legend className="text-sm font-medium text-slate-900">{period.label}</legend>
      <p className="text-sm text-slate-600">{period.deletes}</p>
      {period.forever ? (
        <div className="space-y-2">
          <Option
            type="radio"
            name={id}
            checked={value.forever}
            onChange={() => onChange({ ...value, forever: true })}
            label="Keep forever"
          />
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Option
              type="radio"
              name={id}
              checked={!value.forever}
              onChange={() => onChange({ ...value, forever: false })}
              label="Delete after"
            />
            {daysInput}
            <span className="text-slate-700">days</span>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-700">Delete after</span>
          {daysInput}
          <span className="text-slate-700">days</span>
        </div>
      )}
    </fieldset>
  );
}

const figures: ReadonlyArray<{
  key: Exclude<keyof RetentionRun, 'startedAt' | 'finishedAt'>;
  label: string;
}> = [
  { key: 'conversations', label: 'Conversations emptied' },
  { key: 'messages', label: 'Messages' },
  { key: 'files', label: 'Files' },
  { key: 'visitors', label: 'Visitors' },
  { key: 'webhookDeliveries', label: 'Webhook deliveries' },
  { key: 'jobs', label: 'Finished jobs' },
  { key: 'auditEvents', label: 'Audit records' },
];

/**
 * What the retention job deleted in its last run: a run begins with the first batch that finds
 * something, so none means it has found nothing to delete so far.
 */
function LastRun({ run }: { run: RetentionRun | null }) {
  return (
    <Card title="Last run">
      {run === null ? (
        <p className="text-sm text-slate-600">The retention job has deleted nothing yet.</p>
      ) : (
        <div className="space-y-3 text-sm text-slate-700">
          <p>
            {run.finishedAt === null
              ? `Running since ${formatDateTime(run.startedAt)}. So far it deleted:`
              : `Started ${formatDateTime(run.startedAt)}, finished ${formatDateTime(run.finishedAt)}. It deleted:`}
          </p>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="retention-last-run">
            {figures.map(({ key, label }) => (
              <div key={key} className="rounded-md border border-slate-200 p-2">
                <dt className="text-xs text-slate-600">{label}</dt>
                <dd className="text-lg font-semibold tabular-nums text-slate-900">{run[key]}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </Card>
  );
}
