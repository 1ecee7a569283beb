import { describe, expect, it } from 'vitest';
import { weekdays } from '@parley/protocol';
import { openness, openSeconds, type Schedule } from './business-hours.js';

// The instants below are written in UTC and worked out by hand from each zone's rules for 2026:
// Europe/Berlin goes from +01:00 to +02:00 at 01:00 UTC on 29 March and back at 01:00 UTC on
// 25 October; America/New_York from -05:00 to -04:00 at 07:00 UTC on 8 March and back at 06:00
// UTC on 1 November; Asia/Kolkata stays at +05:30.
const at = (iso: string) => new Date(iso);
const opens = (iso: string) => ({ open: false, opensAt: at(iso) });
const closes = (iso: string) => ({ open: true, closesAt: at(iso) });

const workdays = (start: string, end: string): Schedule['weekly'] => ({
  mon: [{ start, end }],
  tue: [{ start, end }],
  wed: [{ start, end }],
  thu: [{ start, end }],
  fri: [{ start, end }],
});

describe('business hours', () => {
  const berlin: Schedule = { timeZone: 'Europe/Berlin', weekly: workdays('09:00', '17:00') };

  it('keeps the local hours across a change of clocks (Berlin, spring)', () => {
    // Friday 27 March, winter time: 09:00 is 08:00 UTC.
    expect(openness(berlin, at('2026-03-27T07:59:00Z'))).toEqual(opens('2026-03-27T08:00:00Z'));
    expect(openness(berlin, at('2026-03-27T08:00:00Z'))).toEqual(closes('2026-03-27T16:00:00Z'));
    // Closed over the weekend the clocks change: it opens Monday at 09:00 summer time, 07:00 UTC.
    expect(openness(berlin, at('2026-03-27T16:00:00Z'))).toEqual(opens('2026-03-30T07:00:00Z'));
    expect(openness(berlin, at('2026-03-30T07:30:00Z'))).toEqual(closes('2026-03-30T15:00:00Z'));
  });

  it('keeps the local hours across a change of clocks (Berlin, autumn)', () => {
    // Friday 23 October, summer time: 17:00 is 15:00 UTC; Monday 26, winter time: 09:00 is 08:00.
    expect(openness(berlin, at('2026-10-23T14:59:00Z'))).toEqual(closes('2026-10-23T15:00:00Z'));
    expect(openness(berlin, at('2026-10-23T15:00:00Z'))).toEqual(opens('2026-10-26T08:00:00Z'));
  });

  it('ends a night period that crosses the skipped hour when the clocks say (Berlin)', () => {
    // Saturday 22:00 to Sunday 02:00; on 29 March 02:00 does not exist: it ends at 03:00 CEST,
    // 01:00 UTC, three real hours after it began.
    const night: Schedule = {
      timeZone: 'Europe/Berlin',
      weekly: { sat: [{ start: '22:00', end: '02:00' }] },
    };
    expect(openness(night, at('2026-03-28T20:59:00Z'))).toEqual(opens('2026-03-28T21:00:00Z'));
    expect(openness(night, at('2026-03-29T00:30:00Z'))).toEqual(closes('2026-03-29T01:00:00Z'));
    expect(openness(night, at('2026-03-29T01:00:00Z'))).toEqual(opens('2026-04-04T20:00:00Z'));
  });

  it('counts the hour that happens twice once (New York, autumn)', () => {
    // Sunday 1 November, 00:00 to 03:00: 00:00 EDT (04:00 UTC) to 03:00 EST (08:00 UTC), four
    // real hours; 01:30 comes twice and is inside both times.
    const early: Schedule = {
      timeZone: 'America/New_York',
      weekly: { sun: [{ start: '00:00', end: '03:00' }] },
    };
    expect(openness(early, at('2026-11-01T05:30:00Z'))).toEqual(closes('2026-11-01T08:00:00Z'));
    expect(openness(early, at('2026-11-01T06:30:00Z'))).toEqual(closes('2026-11-01T08:00:00Z'));
    expect(openness(early, at('2026-11-01T08:00:00Z'))).toEqual(opens('2026-11-08T05:00:00Z'));
  });

  it('opens on the Monday after the spring change at the new offset (New York)', () => {
    const ny: Schedule = { timeZone: 'America/New_York', weekly: workdays('09:00', '17:00') };
    // Friday 6 March 17:00 EST is 22:00 UTC; Monday 9 March 09:00 EDT is 13:00 UTC, not 14:00.
    expect(openness(ny, at('2026-03-06T22:00:00Z'))).toEqual(opens('2026-03-09T13:00:00Z'));
    expect(openness(ny, at('2026-03-09T13:00:00Z'))).toEqual(closes('2026-03-09T21:00:00Z'));
  });

  it('follows a zone without daylight saving and with a half-hour offset (Kolkata)', () => {
    const kolkata: Schedule = { timeZone: 'Asia/Kolkata', weekly: workdays('09:00', '18:00') };
    // 09:00 IST is 03:30 UTC, in March as in November.
    expect(openness(kolkata, at('2026-03-09T03:29:00Z'))).toEqual(opens('2026-03-09T03:30:00Z'));
    expect(openness(kolkata, at('2026-11-02T03:30:00Z'))).toEqual(closes('2026-11-02T12:30:00Z'));
  });

  it('splits a day into shifts, and closes the gap between them', () => {
    const split: Schedule = {
      timeZone: 'Europe/Berlin',
      weekly: {
        wed: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
      },
    };
    // Wednesday 6 May (CEST): 09:00–12:00 and 13:00–17:00, given in any order.
    expect(openness(split, at('2026-05-06T09:00:00Z'))).toEqual(closes('2026-05-06T10:00:00Z'));
    expect(openness(split, at('2026-05-06T10:30:00Z'))).toEqual(opens('2026-05-06T11:00:00Z'));
    expect(openness(split, at('2026-05-06T11:00:00Z'))).toEqual(closes('2026-05-06T15:00:00Z'));
  });

  it('runs periods that meet at midnight together', () => {
    const late: Schedule = {
      timeZone: 'UTC',
      weekly: { fri: [{ start: '20:00', end: '24:00' }], sat: [{ start: '00:00', end: '04:00' }] },
    };
    expect(openness(late, at('2026-05-08T21:00:00Z'))).toEqual(closes('2026-05-09T04:00:00Z'));
  });

  it('takes a dated exception over the weekday: a holiday, a shortened day', () => {
    const shop: Schedule = {
      ...berlin,
      exceptions: { '2026-12-24': [{ start: '09:00', end: '12:00' }], '2026-12-25': [] },
    };
    // Thursday 24 December closes at 12:00 (11:00 UTC); Friday 25 is closed; Monday 28 opens.
    expect(openness(shop, at('2026-12-24T10:00:00Z'))).toEqual(closes('2026-12-24T11:00:00Z'));
    expect(openness(shop, at('2026-12-24T11:00:00Z'))).toEqual(opens('2026-12-28T08:00:00Z'));
    // An exception may open a day the week leaves closed.
    const sunday: Schedule = {
      ...berlin,
      exceptions: { '2026-12-20': [{ start: '10:00', end: '14:00' }] },
    };
    expect(openness(sunday, at('2026-12-19T12:00:00Z'))).toEqual(opens('2026-12-20T09:00:00Z'));
  });

  it('says so when it never opens, or never closes, within a year', () => {
    expect(openness({ timeZone: 'UTC', weekly: {} }, at('2026-05-06T10:00:00Z'))).toEqual({
      open: false,
      opensAt: null,
    });
    const always: Schedule = {
      timeZone: 'UTC',
      weekly: Object.fromEntries(weekdays.map((d) => [d, [{ start: '00:00', end: '24:00' }]])),
    };
    expect(openness(always, at('2026-05-06T10:00:00Z'))).toEqual({ open: true, closesAt: null });
  });
});

describe('time within business hours (the reports’ first response)', () => {
  const berlin: Schedule = { timeZone: 'Europe/Berlin', weekly: workdays('09:00', '17:00') };

  it('stops the clock outside the hours, over a night and a weekend', () => {
    // Asked Friday 16:30 Berlin (15:30 UTC), answered Monday 09:15 (08:15 UTC): 30 + 15 minutes.
    expect(openSeconds(berlin, at('2026-12-04T15:30:00Z'), at('2026-12-07T08:15:00Z'))).toBe(
      45 * 60,
    );
    // Asked and answered while closed: nothing counted.
    expect(openSeconds(berlin, at('2026-12-05T10:00:00Z'), at('2026-12-05T12:00:00Z'))).toBe(0);
    // Within the hours, as the clock says.
    expect(openSeconds(berlin, at('2026-12-07T09:00:00Z'), at('2026-12-07T09:02:30Z'))).toBe(150);
  });

  it('counts the hours of a day the clocks change as the clocks say (New York, spring)', () => {
    // Sunday 8 March, open 00:00–06:00 local: 02:00 is skipped, so five real hours.
    const sunday: Schedule = {
      timeZone: 'America/New_York',
      weekly: { sun: [{ start: '00:00', end: '06:00' }] },
    };
    expect(openSeconds(sunday, at('2026-03-08T00:00:00Z'), at('2026-03-08T18:00:00Z'))).toBe(
      5 * 3600,
    );
  });

  it('counts nothing for hours that never open', () => {
    const never: Schedule = { timeZone: 'Asia/Kolkata', weekly: {} };
    expect(openSeconds(never, at('2026-12-01T00:00:00Z'), at('2026-12-09T00:00:00Z'))).toBe(0);
  });
});
