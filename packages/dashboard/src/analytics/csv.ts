import type { AnalyticsAgents, AnalyticsOverview, AnalyticsTimeseries } from '@parley/protocol';

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet: neutralised with a quote.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const rows = (lines: Array<Array<string | number | null>>) =>
  lines.map((l) => l.map(csvField).join(',')).join('\r\n');

/** The report as one CSV file: summary, then per day, then per agent. */
export function analyticsCsv(
  o: AnalyticsOverview,
  t: AnalyticsTimeseries,
  a: AnalyticsAgents,
): string {
  return (
    [
      rows([
        [
          'from',
          'to',
          'conversations',
          'open',
          'pending',
          'closed',
          'missed',
          'messages',
          'median_first_response_s',
          'median_resolution_s',
          'satisfaction_pct',
        ],
        [
          o.from,
          o.to,
          o.conversations.total,
          o.conversations.open,
          o.conversations.pending,
          o.conversations.closed,
          o.conversations.missed,
          o.messages,
          o.medianFirstResponseSeconds,
          o.medianResolutionSeconds,
          o.rating.satisfaction,
        ],
      ]),
      rows([
        ['date', 'conversations', 'closed', 'messages'],
        ...t.days.map((d) => [d.date, d.conversations, d.closed, d.messages]),
      ]),
      rows([
        [
          'agent',
          'conversations',
          'closed',
          'messages',
          'median_first_response_s',
          'rating_up',
          'rating_down',
        ],
        ...a.agents.map((x) => [
          x.name,
          x.conversations,
          x.closed,
          x.messages,
          x.medianFirstResponseSeconds,
          x.ratingUp,
          x.ratingDown,
        ]),
      ]),
    ].join('\r\n\r\n') + '\r\n'
  );
}
