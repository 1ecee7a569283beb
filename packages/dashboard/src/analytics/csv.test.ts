import { describe, expect, it } from 'vitest';
import { analyticsCsv, analyticsFileName, csvField } from './csv';

describe('CSV export', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });

  const overview = {
    from: '2026-01-01',
    to: '2026-01-02',
    conversations: { total: 3, open: 1, pending: 0, closed: 2, missed: 1 },
    messages: 9,
    medianFirstResponseSeconds: 12,
    medianFirstResponseBusinessSeconds: 4.5,
    medianResolutionSeconds: null,
    rating: { up: 1, down: 0, satisfaction: 100 },
  };
  const days = {
    days: [{ date: '2026-01-01', conversations: 3, closed: 2, messages: 9 }],
    hours: [],
  };
  const agents = {
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
  };

  it('writes the summary, the days and the agents', () => {
    const csv = analyticsCsv(overview, days, agents, { site: null, team: null });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'from,to,site,team,conversations,open,pending,closed,missed,messages,' +
        'median_first_response_s,median_first_response_business_s,median_resolution_s,satisfaction_pct',
    );
    expect(lines[1]).toBe('2026-01-01,2026-01-02,All sites,All teams,3,1,0,2,1,9,12,4.5,,100');
    expect(lines).toContain('2026-01-01,3,2,9');
    expect(lines).toContain('"Ann, Lead",3,2,5,12,1,0');
  });

  it('says which site and team it was made for, in the file and in its name', () => {
    const scope = { site: 'Outdoor shop, EU', team: '=Billing' };
    const csv = analyticsCsv(overview, days, agents, scope);
    expect(csv.split('\r\n')[1]).toMatch(/^2026-01-01,2026-01-02,"Outdoor shop, EU",'=Billing,3,/);
    expect(analyticsFileName('2026-01-01', '2026-01-02', scope)).toBe(
      'parley-analytics-2026-01-01-to-2026-01-02-site-outdoor-shop-eu-team-billing.csv',
    );
    expect(analyticsFileName('2026-01-01', '2026-01-02', { site: null, team: null })).toBe(
      'parley-analytics-2026-01-01-to-2026-01-02.csv',
    );
    // Any script's letters stay; a name of nothing but signs still says there was a filter.
    expect(analyticsFileName('2026-01-01', '2026-01-02', { site: 'Über Läden', team: '***' })).toBe(
      'parley-analytics-2026-01-01-to-2026-01-02-site-über-läden-team-unnamed.csv',
    );
  });
});
