import type { AnalyticsAgents, AnalyticsQuery } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useState } from 'react';
import {
  Bar,
  Legend,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { call } from '../api/client';
import { useSites, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import { CardRow, CardTable } from '../ui/CardTable';
import { Button, Card, Field, SelectField, Spinner } from '../ui/controls';
import { formatDuration } from '../ui/time';
import { analyticsCsv, analyticsFileName } from './csv';
import { Ratings } from './Ratings';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => isoDay(new Date(Date.now() - n * 86_400_000));

/** The days from `from` to `to`, of one site and one team ('' for all). */
type ReportQuery = { from: string; to: string; siteId: string; teamId: string };

/** One report of the page's days, site and team, kept under its kind. */
function useReport<T>(
  kind: string,
  report: ReportQuery,
  fetch: (query: AnalyticsQuery) => Promise<T>,
) {
  const { from, to, siteId, teamId } = report;
  return useQuery({
    queryKey: keys.analytics(kind, from, to, siteId, teamId),
    // An empty choice is every site (or team): left out of the query.
    queryFn: () => fetch({ from, to, siteId: siteId || undefined, teamId: teamId || undefined }),
  });
}

export default function AnalyticsPage() {
  const [from, setFrom] = useState(daysAgo(6));
  const [to, setTo] = useState(isoDay(new Date()));
  // The site and team filters show only where there is a choice: several sites, any team. A
  // choice hidden since (the second site deleted, say) no longer filters.
  const sites = useSites().data?.items ?? [];
  const teams = useTeams().data?.items ?? [];
  const [siteChoice, setSiteChoice] = useState('');
  const [teamChoice, setTeamChoice] = useState('');
  const site = sites.length > 1 ? sites.find((s) => s.id === siteChoice) : undefined;
  const team = teams.find((t) => t.id === teamChoice);
  const report = { from, to, siteId: site?.id ?? '', teamId: team?.id ?? '' };
  const overview = useReport('overview', report, (query) =>
    call('getAnalyticsOverview', { query }),
  );
  const series = useReport('timeseries', report, (query) =>
    call('getAnalyticsTimeseries', { query }),
  );
  const agents = useReport('agents', report, (query) => call('getAnalyticsAgents', { query }));

  const download = () => {
    if (!overview.data || !series.data || !agents.data) return;
    const scope = { site: site?.name ?? null, team: team?.name ?? null };
    const blob = new Blob([analyticsCsv(overview.data, series.data, agents.data, scope)], {
      type: 'text/csv',
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = analyticsFileName(from, to, scope);
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const o = overview.data;
  return (
    <div className="h-full space-y-4 overflow-y-auto p-4 md:p-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold text-slate-900">Analytics</h1>
        {/* Two by two on a phone: the days, then the site and the team. */}
        <div className="grid w-full grid-cols-2 items-end gap-2 sm:flex sm:w-auto sm:flex-wrap">
          <Field
            label="From"
            type="date"
            value={from}
            max={to}
            onChange={(e) => e.target.value && setFrom(e.target.value)}
          />
          <Field
            label="To"
            type="date"
            value={to}
            min={from}
            onChange={(e) => e.target.value && setTo(e.target.value)}
          />
          {sites.length > 1 ? (
            <SelectField
              label="Site"
              value={report.siteId}
              onChange={(e) => setSiteChoice(e.target.value)}
              options={[
                { value: '', label: 'All sites' },
                ...sites.map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
          ) : null}
          {teams.length > 0 ? (
            <SelectField
              label="Team"
              value={report.teamId}
              onChange={(e) => setTeamChoice(e.target.value)}
              options={[
                { value: '', label: 'All teams' },
                ...teams.map((t) => ({ value: t.id, label: t.name })),
              ]}
            />
          ) : null}
          <Button
            variant="secondary"
            onClick={download}
            disabled={!o || !series.data || !agents.data}
          >
            <Download aria-hidden className="h-4 w-4" /> Export CSV
          </Button>
        </div>
      </div>
      {!o ? (
        <Spinner />
      ) : (
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3 2xl:grid-cols-6">
          <Stat label="Conversations" value={String(o.conversations.total)} />
          <Stat
            label="Missed or queued"
            value={String(o.conversations.missed + o.conversations.pending)}
          />
          <Stat
            label="Median first response"
            value={formatDuration(o.medianFirstResponseSeconds)}
          />
          <Stat
            label="First response within business hours"
            value={formatDuration(o.medianFirstResponseBusinessSeconds)}
            caption="Median; the clock stops while the chat's hours are closed"
          />
          <Stat label="Median resolution" value={formatDuration(o.medianResolutionSeconds)} />
          <Stat
            label="Satisfaction"
            value={o.rating.satisfaction === null ? '—' : `${Math.round(o.rating.satisfaction)}%`}
          />
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Conversations per day">
          <div className="h-64" role="img" aria-label="Line chart of conversations per day">
            <ResponsiveContainer>
              <LineChart data={series.data?.days ?? []}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="date" tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
                <Tooltip />
                {/* Drawn last: "conversations" stays visible where "closed" has the same values. */}
                <Legend />
                {/* Counts per day: straight segments between the days' points, never a curve
                    that invents values in between. */}
                <Line
                  type="linear"
                  dataKey="closed"
                  stroke="#16a34a"
                  strokeWidth={2}
                  dot={{ r: 3 }}
                  isAnimationActive={false}
                />
                <Line
                  type="linear"
                  dataKey="conversations"
                  stroke="#2563eb"
                  strokeWidth={2}
                  dot={{ r: 3 }}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card title="Busiest hours (UTC)">
          <div className="h-64" role="img" aria-label="Bar chart of conversations by hour of day">
            <ResponsiveContainer>
              <BarChart data={series.data?.hours ?? []}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="hour" tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Bar dataKey="conversations" fill="#2563eb" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Card>
      </div>
      <Ratings {...report} />
      <Card title="Agents">
        {/* No scroll box: the figures fit beside each other from 768 px, and below that each
            agent is a card with its figures two by two. */}
        <CardTable columns={[{ label: 'Agent' }, ...figures]}>
          {(agents.data?.agents ?? []).map((a) => (
            <CardRow
              key={a.agentId}
              layout="max-md:grid max-md:grid-cols-2 max-md:gap-x-4 max-md:py-2"
            >
              <td className="break-words py-2 pr-3 font-medium text-slate-900 max-md:col-span-2 max-md:py-0.5">
                {a.name}
              </td>
              {figures.map((f) => (
                <td
                  key={f.label}
                  className="py-2 pr-3 tabular-nums last:pr-0 max-md:flex max-md:justify-between max-md:gap-2 max-md:py-0.5 max-md:pr-0"
                >
                  <span className="text-slate-600 md:hidden">{f.short}</span>
                  <span className="whitespace-nowrap">{f.value(a)}</span>
                </td>
              ))}
            </CardRow>
          ))}
        </CardTable>
      </Card>
      <Definitions />
    </div>
  );
}

type AgentFigures = AnalyticsAgents['agents'][number];

/** The agents table's columns after the name; `short` labels them on a phone's cards. */
const figures: Array<{ label: string; short: string; value: (a: AgentFigures) => string }> = [
  { label: 'Conversations', short: 'Conversations', value: (a) => String(a.conversations) },
  { label: 'Closed', short: 'Closed', value: (a) => String(a.closed) },
  { label: 'Messages', short: 'Messages', value: (a) => String(a.messages) },
  {
    label: 'Median first response',
    short: 'First response',
    value: (a) => formatDuration(a.medianFirstResponseSeconds),
  },
  {
    label: 'Ratings (up / down)',
    short: 'Good / bad',
    value: (a) => `${a.ratingUp} / ${a.ratingDown}`,
  },
];

/** What each figure counts: the same words as docs/reports.md. */
function Definitions() {
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-sm">
      <summary className="cursor-pointer font-medium text-slate-900">
        What these figures mean
      </summary>
      <dl className="mt-3 space-y-2">
        <dt className="font-medium text-slate-900">Conversations</dt>
        <dd>Chats started on the chosen days (UTC), whoever started them.</dd>
        <dt className="font-medium text-slate-900">Missed or queued</dt>
        <dd>
          Missed: the visitor wrote, and the chat was closed before any agent answered. Queued:
          still waiting for an agent.
        </dd>
        <dt className="font-medium text-slate-900">First response</dt>
        <dd>
          From the visitor&apos;s first message to the first message an agent wrote them after it.
          Notes, system lines (&ldquo;joined the chat&rdquo;) and the opening line of a chat an
          agent started do not count. It is credited to the agent who wrote it.
        </dd>
        <dt className="font-medium text-slate-900">First response within business hours</dt>
        <dd>
          The same, with the clock stopped while the chat&apos;s hours are closed: its team&apos;s,
          else its site&apos;s own. Asked on Friday at 16:30 and answered on Monday at 09:15, by a
          team open 09:00–17:00 on weekdays, it is 45 minutes. Where no hours apply it is the first
          response itself.
        </dd>
        <dt className="font-medium text-slate-900">Resolution</dt>
        <dd>From the start of a chat to its close, over the closed chats.</dd>
        <dt className="font-medium text-slate-900">Satisfaction</dt>
        <dd>Good ratings as a share of all ratings of the chats started on these days.</dd>
        <dt className="font-medium text-slate-900">Messages (per agent)</dt>
        <dd>Messages the agent sent visitors on these days, in any chat; notes are not counted.</dd>
        <dt className="font-medium text-slate-900">Site and team</dt>
        <dd>
          Every figure counts only the chats of the chosen site and team (a chat&apos;s team is the
          one whose queue it is in, or was answered from), and the agents&apos; figures only what
          they did in those chats.
        </dd>
      </dl>
    </details>
  );
}

/** A figure of the overview under its name, with a line on what it counts if it needs one. */
function Stat({ label, value, caption }: { label: string; value: string; caption?: string }) {
  return (
    <div
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid={`stat-${label}`}
    >
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
      {caption ? <p className="mt-1 text-xs text-slate-600">{caption}</p> : null}
    </div>
  );
}
