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

/** What a report was made for: a site and a team, by name; null: all of them. */
export type ReportScope = { site: string | null; team: string | null };

/**
 * The report as one CSV file: summary (with the site and team it was made for), then per day,
 * then per agent.
 */
export function analyticsCsv(
  o: AnalyticsOverview,
  t: AnalyticsTimeseries,
  a: AnalyticsAgents,
  scope: ReportScope,
): string {
  return (
    [
      rows([
        [
          'from',
          'to',
          'site',
          'team',
          'conversations',
          'open',
          'pending',
          'closed',
          'missed',
          'messages',
          'median_first_response_s',
          'median_first_response_business_s',
          'median_resolution_s',
          'satisfaction_pct',
        ],
        [
          o.from,
          o.to,
          scope.site ?? 'All sites',
          scope.team ?? 'All teams',
          o.conversations.total,
          o.conversations.open,
          o.conversations.pending,
          o.conversations.closed,
          o.conversations.missed,
          o.messages,
          o.medianFirstResponseSeconds,
          o.medianFirstResponseBusinessSeconds,
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

/** A name as a part of a file name: lower case, letters and digits, dashes between words. */
const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

/**
 * The export's file name: its days, then the site and team it was made for, if any:
 * `parley-analytics-2026-01-01-to-2026-01-07-site-outdoor-shop-team-billing.csv`.
 */
export function analyticsFileName(from: string, to: string, scope: ReportScope): string {
  const parts = [`parley-analytics-${from}-to-${to}`];
  if (scope.site !== null) parts.push(`site-${slug(scope.site) || 'unnamed'}`);
  if (scope.team !== null) parts.push(`team-${slug(scope.team) || 'unnamed'}`);
  return `${parts.join('-')}.csv`;
}
