import { describe, expect, it } from 'vitest';
import { analyticsCsv, csvField } from './csv';

describe('CSV export', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });

  it('writes the summary, the days and the agents', () => {
    const csv = analyticsCsv(
      {
        from: '2026-01-01',
        to: '2026-01-02',
        conversations: { total: 3, open: 1, pending: 0, closed: 2, missed: 1 },
        messages: 9,
        medianFirstResponseSeconds: 12,
        medianFirstResponseBusinessSeconds: null,
        medianResolutionSeconds: null,
        rating: { up: 1, down: 0, satisfaction: 100 },
      },
      { days: [{ date: '2026-01-01', conversations: 3, closed: 2, messages: 9 }], hours: [] },
      {
        agents: [
          {
            agentId: 'a',
            name: 'Ann, Lead',
            conversations: 3,
            closed: 2,
            messages: 5,
            medianFirstResponseSeconds: 12,
            ratingUp: 1,
            ratingDown: 0,
          },
        ],
      },
    );
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe('2026-01-01,2026-01-02,3,1,0,2,1,9,12,,100');
    expect(lines).toContain('2026-01-01,3,2,9');
    expect(lines).toContain('"Ann, Lead",3,2,5,12,1,0');
  });
});
