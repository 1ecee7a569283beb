import { describe, expect, it } from 'vitest';
import { upkeepDue, type TableActivity } from './upkeep.js';

const quiet: TableActivity = {
  table: 'messages',
  rows: 100_000,
  pages: 3_000,
  allVisiblePages: 3_000,
  deadRows: 0,
  insertedSinceVacuum: 0,
  modifiedSinceAnalyze: 0,
  analyzed: true,
};
const due = (change: Partial<TableActivity>, firstCheck = false) =>
  upkeepDue({ ...quiet, ...change }, firstCheck);

describe("autovacuum's thresholds, on PGlite", () => {
  it('leaves a table alone until a fifth of it is dead or new, or a tenth changed', () => {
    expect(due({})).toBeNull();
    // Exactly at each threshold: not yet.
    expect(
      due({ deadRows: 20_050, insertedSinceVacuum: 21_000, modifiedSinceAnalyze: 10_050 }),
    ).toBeNull();
    expect(due({ deadRows: 20_051 })).toEqual({ table: 'messages', vacuum: true, analyze: false });
    expect(due({ insertedSinceVacuum: 21_001 })).toEqual({
      table: 'messages',
      vacuum: true,
      analyze: false,
    });
    expect(due({ modifiedSinceAnalyze: 10_050 })).toBeNull();
    expect(due({ modifiedSinceAnalyze: 10_051 })).toEqual({
      table: 'messages',
      vacuum: false,
      analyze: true,
    });
  });

  it('analyzes a table with rows that was never analyzed, and not an empty one', () => {
    expect(due({ analyzed: false })).toEqual({ table: 'messages', vacuum: false, analyze: true });
    expect(due({ analyzed: false, rows: -1, pages: 0 })).toBeNull();
    expect(due({ analyzed: false, rows: -1, pages: 0, insertedSinceVacuum: 3 })).toEqual({
      table: 'messages',
      vacuum: false,
      analyze: true,
    });
  });

  it('counts a never-counted table as empty: its first thousand inserts make it due', () => {
    expect(due({ rows: -1, insertedSinceVacuum: 1_000, analyzed: false })?.vacuum).toBe(false);
    expect(due({ rows: -1, insertedSinceVacuum: 1_001, analyzed: false })?.vacuum).toBe(true);
  });

  it('on the first check after a start, vacuums a large table mostly not all-visible', () => {
    const unvacuumed = { allVisiblePages: 1_499 };
    expect(due(unvacuumed)).toBeNull();
    expect(due(unvacuumed, true)).toEqual({ table: 'messages', vacuum: true, analyze: false });
    expect(due({ allVisiblePages: 1_500 }, true)).toBeNull();
    expect(due({ pages: 127, allVisiblePages: 0 }, true)).toBeNull();
  });
});
