import type { Visitor } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, BadgeCheck, ExternalLink, X } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { BanVisitor } from '../bans/BanVisitor';
import { useSites } from '../api/hooks';
import { keys } from '../api/keys';
import { Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';
import { useVisitor } from './hooks';

/**
 * Who the visitor is and what they did: kept live by `visitor.updated`. Shown over the chat, it
 * has a close control (a back arrow on a phone, where it fills the page) and takes the focus.
 * The site they are on is named when there are several.
 */
export function VisitorPanel({ visitorId, onClose }: { visitorId: string; onClose?: () => void }) {
  const { data } = useVisitor(visitorId);
  const sites = useSites().data?.items ?? [];
  const site = sites.length > 1 ? sites.find((s) => s.id === data?.visitor.siteId) : undefined;
  return (
    <aside
      aria-label="Visitor"
      className="h-full overflow-y-auto border-l border-slate-200 bg-white p-4 text-sm"
    >
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 className="text-base font-semibold text-slate-900">Visitor</h2>
        {onClose ? (
          <button
            onClick={onClose}
            aria-label="Close visitor details"
            autoFocus
            className="-order-1 rounded p-1 text-slate-700 hover:bg-slate-100 md:order-none"
          >
            <ArrowLeft aria-hidden className="h-5 w-5 md:hidden" />
            <X aria-hidden className="hidden h-4 w-4 md:block" />
          </button>
        ) : null}
      </div>
      {!data ? (
        <Spinner />
      ) : (
        <div className="space-y-4">
          <dl className="space-y-1.5">
            {site ? <DetailRow label="Site">{site.name}</DetailRow> : null}
            <DetailRow label="Identity">
              <VerifiedBadge externalId={data.visitor.externalId} />
            </DetailRow>
            <DetailRow label="Name">{data.visitor.name ?? '—'}</DetailRow>
            <DetailRow label="Email">{data.visitor.email ?? '—'}</DetailRow>
            <DetailRow label="Status">
              <span
                className={data.visitor.online ? 'font-medium text-green-700' : 'text-slate-600'}
              >
                {data.visitor.online ? 'Online' : 'Offline'}
              </span>
            </DetailRow>
            <DetailRow label="Browser">{data.visitor.browser ?? '—'}</DetailRow>
            <DetailRow label="OS">{data.visitor.os ?? '—'}</DetailRow>
            <DetailRow label="IP">{data.visitor.ip ?? '—'}</DetailRow>
            <DetailRow label="First seen">{formatDateTime(data.visitor.firstSeenAt)}</DetailRow>
            <DetailRow label="Current page">
              {data.visitor.currentUrl ? (
                <SafeLink url={data.visitor.currentUrl} title={data.visitor.currentTitle} />
              ) : (
                '—'
              )}
            </DetailRow>
          </dl>
          <VisitorAnswers attributes={data.visitor.attributes} />
          <section>
            <h3 className="mb-1 font-semibold text-slate-800">Pages visited</h3>
            {data.pageViews.length === 0 ? <p className="text-slate-600">None recorded.</p> : null}
            <ol className="space-y-1">
              {data.pageViews.slice(0, 20).map((p) => (
                <li key={p.id} className="truncate text-slate-700" title={p.url}>
                  <span className="text-xs text-slate-500">{formatDateTime(p.createdAt)}</span>{' '}
                  {p.title || p.url}
                </li>
              ))}
            </ol>
          </section>
          <section>
            <h3 className="mb-1 font-semibold text-slate-800">Conversations</h3>
            <ul className="space-y-1">
              {data.conversations.map((c) => (
                <li key={c.id}>
                  <Link to={`/conversations/${c.id}`} className="text-blue-700 hover:underline">
                    {formatDateTime(c.createdAt)} · {c.status}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
          <BanVisitor key={data.visitor.id} visitor={data.visitor} />
        </div>
      )}
    </aside>
  );
}

/**
 * Whether the site vouched for who the visitor is (a `setUser` whose hash verified), with the
 * site's own id for them. Otherwise name and email are what the visitor (or page) said.
 */
export function VerifiedBadge({ externalId }: { externalId: string | null }) {
  if (externalId === null) return <span className="text-slate-600">Not verified</span>;
  return (
    <span className="inline-flex max-w-full flex-wrap items-center gap-1.5">
      <span className="inline-flex items-center gap-1 rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800 ring-1 ring-green-600/30">
        <BadgeCheck aria-hidden className="h-3.5 w-3.5" /> Verified
      </span>
      <code className="min-w-0 break-all text-xs text-slate-800" title="The site's id for them">
        {externalId}
      </code>
    </span>
  );
}

/**
 * The visitor's attributes: answers to the pre-chat questions under the questions' labels (in
 * the admin's order), then what the site set (`setCustomAttributes`) by its key.
 */
export function VisitorAnswers({ attributes }: { attributes: Visitor['attributes'] }) {
  const settings = useQuery({
    queryKey: keys.widgetSettings,
    queryFn: () => call('getWidgetSettings'),
  });
  const entries = Object.entries(attributes);
  if (entries.length === 0) return null;
  const questions = settings.data?.settings.preChatFields ?? [];
  const order = (key: string) => {
    const i = questions.findIndex((q) => q.id === key);
    return i === -1 ? questions.length : i;
  };
  return (
    <section>
      <h3 className="mb-1 font-semibold text-slate-800">Attributes</h3>
      <dl className="space-y-1.5" data-testid="visitor-answers">
        {entries
          .sort(([a], [b]) => order(a) - order(b))
          .map(([key, value]) => {
            const question = questions.find((q) => q.id === key);
            const shown =
              question?.type === 'checkbox' ? (value === 'true' ? 'Yes' : 'No') : value || '—';
            return (
              <DetailRow key={key} label={question?.label ?? key}>
                {shown}
              </DetailRow>
            );
          })}
      </dl>
    </section>
  );
}

/** A label and its value, side by side, in a `<dl>` of a visitor's details. */
export function DetailRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-2">
      <dt className="text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

/** Only http(s) URLs become links: a `javascript:` URL from a page view is shown as text. */
export function SafeLink({ url, title }: { url: string; title?: string | null }) {
  if (!/^https?:\/\//i.test(url)) return <span>{url}</span>;
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer nofollow"
      title={url}
      className="inline-flex max-w-full items-center gap-1 text-blue-700 hover:underline"
    >
      <span className="min-w-0 truncate">{title || url}</span>
      <ExternalLink aria-hidden className="h-3 w-3 shrink-0" />
    </a>
  );
}
