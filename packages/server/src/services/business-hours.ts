import { weekdays, type Period, type Weekday } from '@parley/protocol';
import { Temporal } from 'temporal-polyfill';

// When a team (or a site) is open: a week of periods in an IANA time zone, with dated
// exceptions (a holiday closed all day, a shortened day). Every period is turned into the two
// instants it starts and ends at in that zone, through the Temporal polyfill's time-zone
// rules (the platform's tz database), never a fixed offset: "09:00" is 08:00 UTC in Berlin in
// winter and 07:00 in summer, and a period over a change of clocks is as long as the clocks say.

/** A schedule as the API states it (`Schedule` in protocol/src/hours.ts), exceptions optional. */
export type Schedule = {
  timeZone: string;
  weekly: Partial<Record<Weekday, readonly Period[]>>;
  exceptions?: Readonly<Record<string, readonly Period[]>>;
};

/** Open until `closesAt`, or closed until `opensAt`; null: not within the horizon looked at. */
export type Openness =
  { open: true; closesAt: Date | null } | { open: false; opensAt: Date | null };

/** How far ahead `openness` looks for the next change: a year and a day. */
const HORIZON_DAYS = 366;

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
  if (!current) return { open: false, opensAt: null };
  // No period past the horizon can start before its first day does: an opening that ends
  // sooner ends then; one that runs to the horizon may go on, as far as is known.
  const unseen = instantOf(schedule.timeZone, today.add({ days: horizonDays + 1 }), '00:00');
  return { open: true, closesAt: current.end < unseen ? new Date(current.end) : null };
}

/** The day's periods as instants (epoch ms), in the order they start. */
function intervals(schedule: Schedule, date: Temporal.PlainDate) {
  const periods =
    schedule.exceptions?.[date.toString()] ?? schedule.weekly[weekdays[date.dayOfWeek - 1]!] ?? [];
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

const DAY_MS = 24 * 3600 * 1000;

/**
 * The seconds of [from, to) within the schedule's hours: the clock stops while it is closed.
 * What the reports count a first response in when the team (or site) has hours.
 */
export function openSeconds(schedule: Schedule, from: Date, to: Date): number {
  const end = to.getTime();
  let at = from.getTime();
  let total = 0;
  while (at < end) {
    const state = openness(schedule, new Date(at), Math.ceil((end - at) / DAY_MS) + 1);
    if (state.open) {
      const until = Math.min(state.closesAt?.getTime() ?? end, end);
      total += until - at;
      at = until;
    } else {
      if (!state.opensAt) break;
      at = state.opensAt.getTime();
    }
  }
  return total / 1000;
}
