import { z } from 'zod';

// Business hours as the API states them (issue 34): a week of periods in an IANA time zone, with
// dated exceptions. The server turns them into instants (services/business-hours.ts).

/** A time of day, `HH:MM`, from 00:00 to 24:00 (the end of a day). */
export const PeriodTime = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'A time as HH:MM, from 00:00 to 24:00');

/**
 * One period of a day. An end at or before its start runs past midnight into the next day
 * (22:00–02:00); 00:00–24:00 is the whole day.
 */
export const Period = z.object({
  start: PeriodTime.refine((t) => t !== '24:00', 'A period starts by 23:59'),
  end: PeriodTime,
});
export type Period = z.infer<typeof Period>;

/** Whether this platform's time-zone data knows the zone by its IANA name (`Europe/Berlin`). */
function isIanaZone(zone: string): boolean {
  // A bare offset (+02:00) is no place: it keeps its hours when the place changes clocks.
  if (/^[+-]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .max(64)
  .refine(isIanaZone, 'An IANA time zone, such as Europe/Berlin');

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** A day's periods: a few shifts at most. */
const DayPeriods = z.array(Period).max(6);

/** A calendar date, `YYYY-MM-DD`, that exists (no 30 February). */
export const CalendarDate = z.iso.date();

export const Schedule = z.object({
  timeZone: TimeZone,
  /** Each weekday's periods; a day left out, or with none, is closed. */
  weekly: z.partialRecord(z.enum(weekdays), DayPeriods),
  /** A date's own periods in place of its weekday's (a shortened day); none: closed all day. */
  exceptions: z
    .record(CalendarDate, DayPeriods)
    .refine((e) => Object.keys(e).length <= 400, 'At most 400 dated exceptions')
    .optional(),
});
export type Schedule = z.infer<typeof Schedule>;

/** Whether hours have a team or site open now: until when, or from when (null: not within a year). */
export const OpenNow = z.object({
  open: z.boolean(),
  closesAt: z.iso.datetime({ offset: true }).nullable(),
  opensAt: z.iso.datetime({ offset: true }).nullable(),
});
export type OpenNow = z.infer<typeof OpenNow>;
