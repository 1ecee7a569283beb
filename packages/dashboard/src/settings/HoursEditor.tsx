import type { Weekday } from '@parley/protocol';
import { Plus, Trash2, X } from 'lucide-react';
import { useMemo } from 'react';
import { Button, SelectField } from '../ui/controls';
import {
  dateLabel,
  dayNames,
  MAX_EXCEPTIONS,
  MAX_PERIODS,
  newPeriod,
  pastMidnight,
  timeZones,
  type ExceptionDraft,
  type HoursDraft,
  type PeriodDraft,
} from './hours';

const pickerClass =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-600/30';
// Narrower on a phone, so that a period and its remove button share a line at 375 px: there the
// clock button goes (a tap on the field opens the phone's own picker), and the time has the room.
const timeClass = `w-28 sm:w-32 max-sm:[&::-webkit-calendar-picker-indicator]:hidden ${pickerClass}`;

/**
 * Business hours, edited: a time zone, each weekday open or closed with its periods (a split
 * shift is two; one may run past midnight), and dates with hours of their own (a holiday closed
 * all day, a shortened day). What it holds becomes a Schedule through `scheduleOf` on save.
 */
export function HoursEditor({
  draft,
  onChange,
}: {
  draft: HoursDraft;
  onChange(draft: HoursDraft): void;
}) {
  const zones = useMemo(() => timeZones(draft.timeZone), [draft.timeZone]);
  const setDay = (day: Weekday, periods: PeriodDraft[]) =>
    onChange({ ...draft, weekly: { ...draft.weekly, [day]: periods } });
  const setException = (index: number, next: ExceptionDraft | null) =>
    onChange({
      ...draft,
      exceptions: next
        ? draft.exceptions.map((e, i) => (i === index ? next : e))
        : draft.exceptions.filter((_, i) => i !== index),
    });

  return (
    <div className="space-y-4" data-testid="hours-editor">
      <div className="max-w-sm">
        <SelectField
          label="Time zone"
          value={draft.timeZone}
          onChange={(e) => onChange({ ...draft, timeZone: e.target.value })}
          options={zones.map((z) => ({ value: z, label: z.replaceAll('_', ' ') }))}
        />
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Every week</legend>
        <p className="mb-2 text-xs text-slate-600">
          An end at or before the start runs past midnight into the next day; 00:00 to 00:00 is the
          whole day.
        </p>
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {(Object.keys(dayNames) as Weekday[]).map((day) => (
            <li key={day} className="flex flex-wrap items-start gap-x-3 gap-y-1 px-2 py-2 sm:px-3">
              <label className="flex w-32 shrink-0 items-center gap-2 py-1 text-sm font-medium text-slate-900">
                <input
                  type="checkbox"
                  className="h-4 w-4 accent-blue-600"
                  checked={draft.weekly[day].length > 0}
                  onChange={(e) => setDay(day, e.target.checked ? [newPeriod()] : [])}
                />
                <span className="sr-only">Open on </span>
                {dayNames[day]}
              </label>
              {draft.weekly[day].length === 0 ? (
                <span className="py-1 text-sm text-slate-600">Closed</span>
              ) : (
                <Periods
                  name={dayNames[day]}
                  periods={draft.weekly[day]}
                  onChange={(periods) => setDay(day, periods)}
                  removable="always"
                />
              )}
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Dates</legend>
        <p className="mb-2 text-xs text-slate-600">
          A holiday closed all day, or a day with shorter hours: its hours replace its
          weekday&apos;s.
        </p>
        {draft.exceptions.length > 0 ? (
          <ul className="mb-2 divide-y divide-slate-100 rounded-md border border-slate-200">
            {draft.exceptions.map((exception, index) => (
              <DateRow
                key={index}
                index={index}
                exception={exception}
                onChange={(next) => setException(index, next)}
              />
            ))}
          </ul>
        ) : null}
        <Button
          variant="secondary"
          disabled={draft.exceptions.length >= MAX_EXCEPTIONS}
          onClick={() =>
            onChange({
              ...draft,
              exceptions: [...draft.exceptions, { date: '', closed: true, periods: [] }],
            })
          }
        >
          <Plus aria-hidden className="h-4 w-4" /> Add a date
        </Button>
      </fieldset>
    </div>
  );
}

function DateRow({
  index,
  exception: e,
  onChange,
}: {
  index: number;
  exception: ExceptionDraft;
  onChange(next: ExceptionDraft | null): void;
}) {
  // Named by its day once it has one: "the hours of Fri, 25 Dec 2026".
  const name = e.date ? dateLabel(e.date) : `date ${index + 1}`;
  return (
    <li
      className="flex flex-wrap items-start gap-x-3 gap-y-2 px-2 py-2 sm:px-3"
      data-testid="hours-date"
    >
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="date"
          aria-label={`Date ${index + 1}`}
          required
          value={e.date}
          onChange={(event) => onChange({ ...e, date: event.target.value })}
          className={`w-40 ${pickerClass}`}
        />
        <select
          aria-label={`Hours on ${name}`}
          value={e.closed ? 'closed' : 'open'}
          onChange={(event) => {
            const closed = event.target.value === 'closed';
            // Opened, it starts with a short day for the admin to change.
            const periods = closed || e.periods.length > 0 ? e.periods : [newPeriod()];
            onChange({ ...e, closed, periods });
          }}
          className={pickerClass}
        >
          <option value="closed">Closed all day</option>
          <option value="open">Open these hours</option>
        </select>
        <Button variant="ghost" aria-label={`Remove ${name}`} onClick={() => onChange(null)}>
          <Trash2 aria-hidden className="h-4 w-4" />
        </Button>
      </div>
      {e.closed ? null : (
        <Periods
          name={name}
          periods={e.periods}
          onChange={(periods) => onChange({ ...e, periods })}
          removable="beyond-first"
        />
      )}
    </li>
  );
}

/**
 * A day's periods, each from and until, with a way to add one (a split shift) and to remove one.
 * On a weekday the last one may go (the day closes); on a date, Closed all day says that instead.
 */
function Periods({
  name,
  periods,
  onChange,
  removable,
}: {
  name: string;
  periods: PeriodDraft[];
  onChange(periods: PeriodDraft[]): void;
  removable: 'always' | 'beyond-first';
}) {
  const set = (index: number, next: PeriodDraft) =>
    onChange(periods.map((p, i) => (i === index ? next : p)));
  // At the end of the last period's line (a line of its own when there is none).
  const add =
    periods.length < MAX_PERIODS ? (
      <Button
        variant="ghost"
        className="px-2"
        aria-label={`Add a period on ${name}`}
        onClick={() => onChange([...periods, newPeriod(periods.at(-1))])}
      >
        <Plus aria-hidden className="h-4 w-4" /> Add a period
      </Button>
    ) : null;
  return (
    <div className="min-w-64 flex-1 space-y-1.5">
      {periods.length === 0 ? add : null}
      {periods.map((p, index) => {
        const label = `${name}, period ${index + 1}`;
        return (
          <div key={index} className="flex flex-wrap items-center gap-x-1.5 gap-y-1">
            <input
              type="time"
              aria-label={`${label}, from`}
              required
              value={p.start}
              onChange={(e) => set(index, { ...p, start: e.target.value })}
              className={timeClass}
            />
            <span aria-hidden className="text-slate-600">
              –
            </span>
            <input
              type="time"
              aria-label={`${label}, until`}
              required
              value={p.end}
              onChange={(e) => set(index, { ...p, end: e.target.value })}
              className={timeClass}
            />
            {removable === 'always' || periods.length > 1 ? (
              <Button
                variant="ghost"
                className="px-1.5"
                aria-label={`Remove ${label}`}
                onClick={() => onChange(periods.filter((_, i) => i !== index))}
              >
                <X aria-hidden className="h-4 w-4" />
              </Button>
            ) : null}
            {pastMidnight(p) ? (
              <span className="text-xs text-slate-600">until the next day</span>
            ) : null}
            {index === periods.length - 1 ? add : null}
          </div>
        );
      })}
    </div>
  );
}
