import type { OpenNow, Period, Schedule, Weekday } from '@parley/protocol';

// Business hours in the dashboard (issue 34): the editor's state, the Schedule the API takes
// (protocol/src/hours.ts) built from it and checked first, and the words for a team's or a
// site's hours. No zod: the rules the server applies again are restated here in the admin's words.

/** The weekdays in the schedule's order, with their names; typed by the protocol's Weekday. */
export const dayNames: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const days = Object.keys(dayNames) as Weekday[];
const shortDay = (day: Weekday) => dayNames[day].slice(0, 3);

/** The most periods a day may have (the protocol's DayPeriods). */
export const MAX_PERIODS = 6;
/** The most dated exceptions a schedule may have. */
export const MAX_EXCEPTIONS = 400;

/** A period as two time inputs hold it: `HH:MM`, or '' while one is cleared. */
export type PeriodDraft = { start: string; end: string };
/** A date with hours of its own: closed all day (a holiday), or its own periods. */
export type ExceptionDraft = { date: string; closed: boolean; periods: PeriodDraft[] };
/** The editor's state. A day with no periods is closed. */
export type HoursDraft = {
  timeZone: string;
  weekly: Record<Weekday, PeriodDraft[]>;
  exceptions: ExceptionDraft[];
};

/** Where a new period starts: a day's first shift, or the next after the last one. */
export const newPeriod = (after?: PeriodDraft): PeriodDraft =>
  after?.end && after.end < '22:00'
    ? { start: laterBy(after.end, 60), end: laterBy(after.end, 4 * 60) }
    : { start: '09:00', end: '17:00' };

function laterBy(time: string, minutes: number): string {
  const total = Math.min(minutesOf(time) + minutes, 23 * 60 + 59);
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}
const pad = (n: number) => String(n).padStart(2, '0');
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The browser's own time zone: where a new schedule starts. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The zones this browser knows by IANA name, with `current` among them (an alias, say, or UTC). */
export function timeZones(current: string): string[] {
  const known = Intl.supportedValuesOf('timeZone');
  return known.includes(current) ? known : [current, ...known].sort();
}

/**
 * The editor's state for `schedule`; none yet, office hours (Monday to Friday, 09:00 to 17:00)
 * in `timeZone`, for the admin to change rather than to build from nothing.
 */
export function draftOf(schedule: Schedule | null, timeZone: string): HoursDraft {
  const toDraft = (periods: readonly Period[] | undefined): PeriodDraft[] =>
    // A time input has no 24:00: the end of the day is its midnight, 00:00.
    (periods ?? []).map(({ start, end }) => ({ start, end: end === '24:00' ? '00:00' : end }));
  if (!schedule) {
    const office = (day: Weekday) => (day === 'sat' || day === 'sun' ? [] : [newPeriod()]);
    return {
      timeZone,
      weekly: Object.fromEntries(days.map((d) => [d, office(d)])) as HoursDraft['weekly'],
      exceptions: [],
    };
  }
  return {
    timeZone: schedule.timeZone,
    weekly: Object.fromEntries(
      days.map((d) => [d, toDraft(schedule.weekly[d])]),
    ) as HoursDraft['weekly'],
    exceptions: Object.entries(schedule.exceptions ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, periods]) => ({
        date,
        closed: periods.length === 0,
        periods: toDraft(periods),
      })),
  };
}

/** Whether a period runs past midnight into the next day, as the protocol reads it. */
export const pastMidnight = ({ start, end }: PeriodDraft): boolean =>
  end !== '' && end !== '00:00' && end <= start;

/** A date as the admin reads it: "Fri, 25 Dec 2026". */
export function dateLabel(date: string): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(at);
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `day`'s periods for the API, or why they cannot be: a time left empty, two that overlap. */
function periodsOf(periods: PeriodDraft[], day: string): Period[] | string {
  if (periods.length > MAX_PERIODS) return `${day}: at most ${MAX_PERIODS} periods`;
  for (const [i, p] of periods.entries()) {
    if (!TIME.test(p.start) || !TIME.test(p.end)) {
      return `${day}: give period ${i + 1} a start and an end`;
    }
  }
  // Within the day, in minutes; an end at or before the start is the next day's.
  const spans = periods
    .map((p) => {
      const start = minutesOf(p.start);
      const end = minutesOf(p.end);
      return { p, start, end: end <= start ? end + 24 * 60 : end };
    })
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const [before, after] = [spans[i - 1]!, spans[i]!];
    if (after.start < before.end) {
      const span = ({ p }: typeof before) => `${p.start}–${p.end}`;
      return `${day}: ${span(before)} and ${span(after)} overlap`;
    }
  }
  // Midnight as an end is the end of the day: 22:00–00:00 is that evening, 00:00–00:00 all day.
  return periods.map(({ start, end }) => ({ start, end: end === '00:00' ? '24:00' : end }));
}

/**
 * The Schedule the API takes, from the editor's state, or the first reason it cannot be one,
 * in the admin's words: a time left empty, periods that overlap, a date left empty or twice.
 */
export function scheduleOf(draft: HoursDraft): { schedule: Schedule } | { error: string } {
  if (!draft.timeZone) return { error: 'Choose a time zone' };
  const weekly: Schedule['weekly'] = {};
  for (const day of days) {
    if (draft.weekly[day].length === 0) continue;
    const periods = periodsOf(draft.weekly[day], dayNames[day]);
    if (typeof periods === 'string') return { error: periods };
    weekly[day] = periods;
  }
  if (draft.exceptions.length > MAX_EXCEPTIONS) {
    return { error: `At most ${MAX_EXCEPTIONS} dates with hours of their own` };
  }
  const exceptions: NonNullable<Schedule['exceptions']> = {};
  for (const [i, e] of draft.exceptions.entries()) {
    if (!DATE.test(e.date)) return { error: `Give date ${i + 1} its day` };
    if (e.date in exceptions) return { error: `${dateLabel(e.date)} is listed twice` };
    if (e.closed) {
      exceptions[e.date] = [];
      continue;
    }
    if (e.periods.length === 0) {
      return { error: `${dateLabel(e.date)}: add its hours, or choose closed all day` };
    }
    const periods = periodsOf(e.periods, dateLabel(e.date));
    if (typeof periods === 'string') return { error: periods };
    exceptions[e.date] = periods;
  }
  return {
    schedule: {
      timeZone: draft.timeZone,
      weekly,
      ...(Object.keys(exceptions).length > 0 ? { exceptions } : {}),
    },
  };
}

const periodsText = (periods: readonly Period[]) =>
  periods.map(({ start, end }) => `${start}–${end}`).join(', ');

/**
 * A schedule in a line, for reading rather than editing: days with the same hours together
 * ("Mon–Fri 09:00–12:00, 13:00–17:00 · Sat 10:00–14:00"), then its zone.
 */
export function scheduleSummary(schedule: Schedule): string {
  const runs: Array<{ from: Weekday; to: Weekday; text: string }> = [];
  for (const day of days) {
    const periods = schedule.weekly[day] ?? [];
    const text = periods.length > 0 ? periodsText(periods) : '';
    const last = runs.at(-1);
    if (last && last.text === text && days.indexOf(last.to) === days.indexOf(day) - 1) {
      last.to = day;
    } else {
      runs.push({ from: day, to: day, text });
    }
  }
  const open = runs.filter((r) => r.text !== '');
  const week =
    open.length === 0
      ? 'Closed every day'
      : open
          .map((r) => {
            const span =
              r.from === r.to ? shortDay(r.from) : `${shortDay(r.from)}–${shortDay(r.to)}`;
            return `${span} ${r.text}`;
          })
          .join(' · ');
  return `${week} (${schedule.timeZone.replaceAll('_', ' ')})`;
}

/** The dated exceptions in a line: "Thu, 24 Dec 2026 09:00–12:00 · Closed Fri, 25 Dec 2026". */
export function exceptionsSummary(schedule: Schedule): string | null {
  const dates = Object.entries(schedule.exceptions ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (dates.length === 0) return null;
  return dates
    .map(([date, periods]) =>
      periods.length === 0
        ? `Closed ${dateLabel(date)}`
        : `${dateLabel(date)} ${periodsText(periods)}`,
    )
    .join(' · ');
}

type Where = { now?: Date; timeZone?: string; locale?: string };

/**
 * When `at` is, from `now`, in the reader's zone: the day ("today", "tomorrow", "Mon" within
 * the week, "Fri 1 Jan" further off) and the time. Days in English words, as the dashboard is
 * written; the time as the reader's locale writes it.
 */
export function when(
  iso: string,
  { now = new Date(), timeZone, locale }: Where = {},
): { day: string; time: string } {
  const at = new Date(iso);
  const calendar = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const dayOf = (d: Date) => Date.parse(`${calendar.format(d)}T00:00:00Z`);
  const ahead = Math.round((dayOf(at) - dayOf(now)) / 86_400_000);
  const time = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  const day =
    ahead === 0
      ? 'today'
      : ahead === 1
        ? 'tomorrow'
        : new Intl.DateTimeFormat(
            'en-GB',
            ahead < 7
              ? { timeZone, weekday: 'short' }
              : { timeZone, weekday: 'short', day: 'numeric', month: 'short' },
          ).format(at);
  return { day, time };
}

/**
 * A team's or a site's hours now, in words, in the reader's own zone: "Open now, until 17:00",
 * "Closed, opens Mon 09:00"; null hours: none set, so always open.
 */
export function hoursLine(hours: OpenNow | null, where: Where = {}): string {
  if (!hours) return 'Always open (no hours set)';
  if (hours.open) {
    if (!hours.closesAt) return 'Open now';
    const { day, time } = when(hours.closesAt, where);
    return `Open now, until ${day === 'today' ? time : `${day} ${time}`}`;
  }
  if (!hours.opensAt) return 'Closed';
  const { day, time } = when(hours.opensAt, where);
  return `Closed, opens ${day} ${time}`;
}
