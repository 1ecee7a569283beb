import { Temporal } from 'temporal-polyfill';

// When a team (or a site) is open: a week of periods in an IANA time zone, with dated
// exceptions (a holiday closed all day, a shortened day). Every period is turned into the two
// instants it starts and ends at in that zone, through the Temporal polyfill's time-zone
// rules (the platform's tz database), never a fixed offset: "09:00" is 08:00 UTC in Berlin in
// winter and 07:00 in summer, and a period over a change of clocks is as long as the clocks say.

/** A period of one day, `HH:MM` to `HH:MM` local time. `24:00` ends at midnight; an end at or
 * before the start runs past midnight into the next day (22:00–02:00). */
export type Period = { start: string; end: string };

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type Schedule = {
  /** An IANA time zone, such as `Europe/Berlin`. */
  timeZone: string;
  /** Each weekday's periods; a weekday left out (or with none) is closed. */
  weekly: Partial<Record<Weekday, readonly Period[]>>;
  /** A date's own periods (`YYYY-MM-DD`), in place of its weekday's: none is closed all day. */
  exceptions?: Readonly<Record<string, readonly Period[]>>;
};

/** Open until `closesAt`, or closed until `opensAt`; null: not within the horizon looked at. */
export type Openness =
  { open: true; closesAt: Date | null } | { open: false; opensAt: Date | null };

/** How far ahead `openness` looks for the next change: a year and a day. */
const HORIZON_DAYS = 366;

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/**
 * Whether `timeZone` is an IANA zone this platform knows (`Europe/Berlin`, `UTC`). A bare offset
 * (`+02:00`) is not: it would keep the same hours when the place it stands for changes clocks.
 */
export function isTimeZone(timeZone: string): boolean {
  if (/^[+-]/.test(timeZone)) return false;
  try {
    Temporal.Now.instant().toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Whether `time` is a period's `HH:MM` (00:00 to 24:00). */
export const isPeriodTime = (time: string): boolean => TIME.test(time);

/**
 * Whether the schedule is open at `at`, and until when (or from when). Periods that touch (a
 * Friday to 24:00 and a Saturday from 00:00) are one opening: `closesAt` is the end of both.
 */
export function openness(schedule: Schedule, at: Date, horizonDays = HORIZON_DAYS): Openness {
  const now = at.getTime();
  const today = Temporal.Instant.fromEpochMilliseconds(now)
    .toZonedDateTimeISO(schedule.timeZone)
    .toPlainDate();
  // From the day before (its periods may run past midnight into today), in the order they start.
  let current: { start: number; end: number } | undefined;
  for (let offset = -1; offset <= horizonDays; offset++) {
    for (const period of intervals(schedule, today.add({ days: offset }))) {
      if (period.end <= now) continue;
      if (current) {
        // Open now: a period that starts where (or before) the current one ends goes on with it.
        if (period.start > current.end) return { open: true, closesAt: new Date(current.end) };
        current.end = Math.max(current.end, period.end);
      } else if (period.start <= now) {
        current = { ...period };
      } else {
        return { open: false, opensAt: new Date(period.start) };
      }
    }
  }
  return current ? { open: true, closesAt: null } : { open: false, opensAt: null };
}

/** The day's periods as instants (epoch ms), in the order they start. */
function intervals(schedule: Schedule, date: Temporal.PlainDate) {
  const periods =
    schedule.exceptions?.[date.toString()] ?? schedule.weekly[date.dayOfWeek as Weekday] ?? [];
  return periods
    .map(({ start, end }) => {
      const from = instantOf(schedule.timeZone, date, start);
      // An end at or before the start is the next day's (22:00–02:00, and 00:00–24:00's 24:00).
      const endDate = end === '24:00' || end <= start ? date.add({ days: 1 }) : date;
      return { start: from, end: instantOf(schedule.timeZone, endDate, end) };
    })
    .sort((a, b) => a.start - b.start);
}

/**
 * The instant a local date and time fall on in the zone. A time the clocks skip (02:30 on the
 * morning they go forward) is taken as the same time after the jump, Temporal's "compatible"
 * choice: a period from 02:30 starts at 03:30. A time that happens twice (when they go back) is
 * its first occurrence.
 */
function instantOf(timeZone: string, date: Temporal.PlainDate, time: string): number {
  const plainTime = time === '24:00' ? new Temporal.PlainTime(0, 0) : Temporal.PlainTime.from(time);
  return date.toZonedDateTime({ timeZone, plainTime }).epochMilliseconds;
}
