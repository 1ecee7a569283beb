import { describe, expect, it } from 'vitest';
import { Schedule } from './hours.js';

const valid = {
  timeZone: 'Europe/Berlin',
  weekly: {
    mon: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    sat: [{ start: '22:00', end: '02:00' }],
    sun: [{ start: '00:00', end: '24:00' }],
  },
  exceptions: { '2026-12-24': [{ start: '09:00', end: '12:00' }], '2026-12-25': [] },
};

describe('a schedule', () => {
  it('takes split shifts, a period past midnight, a whole day and dated exceptions', () => {
    expect(Schedule.parse(valid)).toEqual(valid);
    // Neither days nor exceptions: closed, always.
    expect(Schedule.parse({ timeZone: 'UTC', weekly: {} })).toEqual({
      timeZone: 'UTC',
      weekly: {},
    });
  });

  it('takes only an IANA zone: no bare offset, no made-up place', () => {
    for (const timeZone of ['America/New_York', 'Asia/Kolkata', 'UTC']) {
      expect(Schedule.safeParse({ ...valid, timeZone }).success, timeZone).toBe(true);
    }
    for (const timeZone of ['+02:00', '-05:00', 'Mars/Olympus_Mons', '', 'Europe/Berlin; drop']) {
      expect(Schedule.safeParse({ ...valid, timeZone }).success, timeZone).toBe(false);
    }
  });

  it('refuses times that are not HH:MM within a day, and a period starting at 24:00', () => {
    for (const [start, end] of [
      ['9:00', '17:00'],
      ['09:00', '24:01'],
      ['12:60', '13:00'],
      ['25:00', '26:00'],
      ['24:00', '02:00'],
      ['09:00:00', '17:00'],
    ]) {
      const weekly = { mon: [{ start, end }] };
      expect(Schedule.safeParse({ ...valid, weekly }).success, `${start}–${end}`).toBe(false);
    }
  });

  it('refuses a day that is no weekday, a date that does not exist, and too many periods', () => {
    expect(Schedule.safeParse({ ...valid, weekly: { monday: [] } }).success).toBe(false);
    expect(Schedule.safeParse({ ...valid, exceptions: { '2026-02-30': [] } }).success).toBe(false);
    expect(Schedule.safeParse({ ...valid, exceptions: { '24/12/2026': [] } }).success).toBe(false);
    const shifts = Array.from({ length: 7 }, () => ({ start: '09:00', end: '10:00' }));
    expect(Schedule.safeParse({ ...valid, weekly: { mon: shifts } }).success).toBe(false);
  });
});
