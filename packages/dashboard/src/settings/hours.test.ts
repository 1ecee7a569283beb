import { Schedule } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  draftOf,
  exceptionsSummary,
  hoursLine,
  newPeriod,
  pastMidnight,
  scheduleOf,
  scheduleSummary,
  timeZones,
  type HoursDraft,
} from './hours';

const closedWeek = (): HoursDraft['weekly'] => ({
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
});

/** What the editor built, as the API would take it: parsed by the protocol's own schema. */
function built(draft: HoursDraft): Schedule {
  const result = scheduleOf(draft);
  if ('error' in result) throw new Error(result.error);
  return Schedule.parse(result.schedule);
}

describe('the hours editor’s schedule', () => {
  it('starts as office hours in the zone given', () => {
    const draft = draftOf(null, 'Europe/Berlin');
    expect(built(draft)).toEqual({
      timeZone: 'Europe/Berlin',
      weekly: {
        mon: [{ start: '09:00', end: '17:00' }],
        tue: [{ start: '09:00', end: '17:00' }],
        wed: [{ start: '09:00', end: '17:00' }],
        thu: [{ start: '09:00', end: '17:00' }],
        fri: [{ start: '09:00', end: '17:00' }],
      },
    });
  });

  it('builds split shifts, a period past midnight, a whole day and dated exceptions', () => {
    const draft: HoursDraft = {
      timeZone: 'America/New_York',
      weekly: {
        ...closedWeek(),
        mon: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
        fri: [{ start: '22:00', end: '02:00' }],
        sat: [{ start: '18:00', end: '00:00' }],
        sun: [{ start: '00:00', end: '00:00' }],
      },
      exceptions: [
        { date: '2026-12-25', closed: true, periods: [{ start: '09:00', end: '17:00' }] },
        { date: '2026-12-24', closed: false, periods: [{ start: '09:00', end: '12:00' }] },
      ],
    };
    expect(built(draft)).toEqual({
      timeZone: 'America/New_York',
      weekly: {
        // In the order the admin put them: the server sorts them when it reads them.
        mon: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
        fri: [{ start: '22:00', end: '02:00' }],
        // Midnight as an end is the end of that day, not a period past midnight.
        sat: [{ start: '18:00', end: '24:00' }],
        sun: [{ start: '00:00', end: '24:00' }],
      },
      // A holiday closed all day keeps no periods, whatever the form held before it was closed.
      exceptions: { '2026-12-25': [], '2026-12-24': [{ start: '09:00', end: '12:00' }] },
    });
  });

  it('reads back what it built, 24:00 shown as the midnight a time input can hold', () => {
    const schedule: Schedule = {
      timeZone: 'Asia/Tokyo',
      weekly: {
        tue: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '24:00' },
        ],
      },
      exceptions: { '2027-01-01': [] },
    };
    const draft = draftOf(schedule, 'Europe/Berlin');
    expect(draft.timeZone).toBe('Asia/Tokyo');
    expect(draft.weekly.tue[1]).toEqual({ start: '13:00', end: '00:00' });
    expect(draft.weekly.mon).toEqual([]);
    expect(draft.exceptions).toEqual([{ date: '2027-01-01', closed: true, periods: [] }]);
    expect(built(draft)).toEqual(schedule);
  });

  it('says what to fix: an empty time, overlapping periods, a date empty or twice', () => {
    const base = draftOf(null, 'UTC');
    const refused = (change: Partial<HoursDraft>) => {
      const result = scheduleOf({ ...base, ...change });
      return 'error' in result ? result.error : null;
    };
    expect(refused({ timeZone: '' })).toBe('Choose a time zone');
    expect(refused({ weekly: { ...base.weekly, tue: [{ start: '09:00', end: '' }] } })).toBe(
      'Tuesday: give period 1 a start and an end',
    );
    expect(
      refused({
        weekly: {
          ...base.weekly,
          wed: [
            { start: '09:00', end: '12:00' },
            { start: '11:30', end: '17:00' },
          ],
        },
      }),
    ).toBe('Wednesday: 09:00–12:00 and 11:30–17:00 overlap');
    // A period past midnight covers the rest of its day: a later one that day overlaps it.
    expect(
      refused({
        weekly: {
          ...base.weekly,
          sat: [
            { start: '20:00', end: '02:00' },
            { start: '23:00', end: '23:30' },
          ],
        },
      }),
    ).toBe('Saturday: 20:00–02:00 and 23:00–23:30 overlap');
    // Periods that touch do not overlap.
    expect(
      refused({
        weekly: {
          ...base.weekly,
          thu: [
            { start: '09:00', end: '12:00' },
            { start: '12:00', end: '17:00' },
          ],
        },
      }),
    ).toBeNull();
    expect(refused({ exceptions: [{ date: '', closed: true, periods: [] }] })).toBe(
      'Give date 1 its day',
    );
    const holiday = { date: '2026-12-25', closed: true, periods: [] };
    expect(refused({ exceptions: [holiday, holiday] })).toBe('Fri, 25 Dec 2026 is listed twice');
    expect(refused({ exceptions: [{ ...holiday, closed: false }] })).toBe(
      'Fri, 25 Dec 2026: add its hours, or choose closed all day',
    );
  });

  it('offers the next shift after the last one, and knows a period past midnight', () => {
    expect(newPeriod()).toEqual({ start: '09:00', end: '17:00' });
    expect(newPeriod({ start: '09:00', end: '12:00' })).toEqual({ start: '13:00', end: '16:00' });
    expect(newPeriod({ start: '18:00', end: '23:00' })).toEqual({ start: '09:00', end: '17:00' });
    expect(pastMidnight({ start: '22:00', end: '02:00' })).toBe(true);
    expect(pastMidnight({ start: '09:00', end: '09:00' })).toBe(true);
    expect(pastMidnight({ start: '18:00', end: '00:00' })).toBe(false);
    expect(pastMidnight({ start: '09:00', end: '17:00' })).toBe(false);
  });

  it('offers every zone the browser knows, and the one in use even when it does not', () => {
    expect(timeZones('Europe/Berlin')).toContain('America/New_York');
    expect(timeZones('Mars/Olympus_Mons')).toContain('Mars/Olympus_Mons');
  });
});

describe('hours in words', () => {
  const schedule: Schedule = {
    timeZone: 'Europe/Berlin',
    weekly: {
      mon: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      tue: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      wed: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      fri: [{ start: '09:00', end: '17:00' }],
      sat: [{ start: '22:00', end: '02:00' }],
    },
    exceptions: { '2026-12-25': [], '2026-12-24': [{ start: '09:00', end: '12:00' }] },
  };

  it('sums a week up, days with the same hours together', () => {
    expect(scheduleSummary(schedule)).toBe(
      'Mon–Wed 09:00–12:00, 13:00–17:00 · Fri 09:00–17:00 · Sat 22:00–02:00 (Europe/Berlin)',
    );
    expect(scheduleSummary({ timeZone: 'America/New_York', weekly: {} })).toBe(
      'Closed every day (America/New York)',
    );
    expect(exceptionsSummary(schedule)).toBe(
      'Thu, 24 Dec 2026 09:00–12:00 · Closed Fri, 25 Dec 2026',
    );
    expect(exceptionsSummary({ timeZone: 'UTC', weekly: {} })).toBeNull();
  });

  it('says whether a team is open now, and until or from when, in the reader’s zone', () => {
    // Monday 7 December 2026, 10:30 in Berlin.
    const where = {
      now: new Date('2026-12-07T09:30:00Z'),
      timeZone: 'Europe/Berlin',
      locale: 'en-GB',
    };
    expect(hoursLine(null, where)).toBe('Always open (no hours set)');
    expect(hoursLine({ open: true, closesAt: '2026-12-07T11:00:00Z', opensAt: null }, where)).toBe(
      'Open now, until 12:00',
    );
    expect(hoursLine({ open: true, closesAt: '2026-12-08T01:00:00Z', opensAt: null }, where)).toBe(
      'Open now, until tomorrow 02:00',
    );
    expect(hoursLine({ open: true, closesAt: null, opensAt: null }, where)).toBe('Open now');
    expect(hoursLine({ open: false, closesAt: null, opensAt: '2026-12-07T12:00:00Z' }, where)).toBe(
      'Closed, opens today 13:00',
    );
    expect(hoursLine({ open: false, closesAt: null, opensAt: '2026-12-11T08:00:00Z' }, where)).toBe(
      'Closed, opens Fri 09:00',
    );
    expect(hoursLine({ open: false, closesAt: null, opensAt: '2026-12-28T08:00:00Z' }, where)).toBe(
      'Closed, opens Mon 28 Dec 09:00',
    );
    expect(hoursLine({ open: false, closesAt: null, opensAt: null }, where)).toBe('Closed');
    // The same instant, read in New York: 07:00 there, the day before Berlin's midnight.
    expect(
      hoursLine(
        { open: false, closesAt: null, opensAt: '2026-12-08T12:00:00Z' },
        { ...where, timeZone: 'America/New_York' },
      ),
    ).toBe('Closed, opens tomorrow 07:00');
  });
});
