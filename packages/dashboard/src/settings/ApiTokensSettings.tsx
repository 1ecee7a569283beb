import type { ApiToken, CreateApiTokenReply } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { BotBadge } from '../conversations/BotBadge';
import { Button, Card, FormError, Spinner } from '../ui/controls';
import { messageOf } from '../ui/errors';
import { formatDateTime } from '../ui/time';
import { ApiTokenForm } from './ApiTokenForm';
import { scopeLabels, scopesSaid, timeAgo } from './api-tokens';
import { BotsSettings } from './BotsSettings';
import { NewTokenSecret } from './NewTokenSecret';

/**
 * Settings → API tokens: the tokens integrations use the API with, whom each acts as and when
 * it was last used, a form to create one (its secret shown once), and the bot that answers new
 * chats first.
 */
export function ApiTokensSettings() {
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: keys.apiTokens,
    queryFn: () => call('listApiTokens'),
    // "Last used" moves while an integration works.
    refetchInterval: 15_000,
  });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreateApiTokenReply | null>(null);

  const onCreated = (reply: CreateApiTokenReply) => {
    setCreating(false);
    setCreated(reply);
    void qc.invalidateQueries({ queryKey: keys.apiTokens });
    // A new bot is a new member of the team, and a choice of first responder.
    if (reply.token.user.kind === 'bot') void qc.invalidateQueries({ queryKey: keys.users });
  };
  const revoke = useSave({
    save: (token: ApiToken) => call('revokeApiToken', { params: { id: token.id } }),
    onSaved: (_, token) => {
      if (created?.token.id === token.id) setCreated(null);
    },
    done: 'Token revoked',
    invalidates: [keys.apiTokens],
  });
  const confirmRevoke = (token: ApiToken) => {
    const message = `Revoke the token “${token.name}”? Whatever uses it is refused from now on. This cannot be undone.`;
    if (window.confirm(message)) revoke.run(token);
  };

  return (
    <div className="space-y-4">
      {creating ? (
        <Card title="New token">
          <ApiTokenForm onCreated={onCreated} onCancel={() => setCreating(false)} />
        </Card>
      ) : null}
      <Card
        title="API tokens"
        actions={
          creating ? null : (
            <Button
              onClick={() => {
                setCreated(null);
                setCreating(true);
              }}
            >
              New token
            </Button>
          )
        }
      >
        <p className="mb-3 text-sm text-slate-600">
          A token lets a script or an integration use Parley&apos;s REST API and socket. It is sent
          with each request in an <code>Authorization: Bearer</code> header, and acts as a bot of
          its own or as the admin who made it. See docs/api.md and docs/bots.md.
        </p>
        {created ? <NewTokenSecret created={created} onDone={() => setCreated(null)} /> : null}
        {list.error ? (
          <FormError error={messageOf(list.error)} />
        ) : !list.data ? (
          <Spinner />
        ) : list.data.items.length === 0 ? (
          <p className="text-sm text-slate-600">No tokens yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="API tokens">
            {list.data.items.map((t) => (
              <TokenRow key={t.id} token={t} onRevoke={() => confirmRevoke(t)} />
            ))}
          </ul>
        )}
      </Card>
      <BotsSettings tokens={list.data?.items} />
    </div>
  );
}

/** Why a token that is not revoked stops working: the person it acts for, or who made it. */
function stoppedBecause(t: ApiToken): string | null {
  if (t.stoppedReason === 'expired') return null;
  if (t.stoppedReason === 'user_deactivated') return `${t.user.name} is deactivated`;
  if (t.stoppedReason === 'creator_deactivated') {
    return `${t.createdBy?.name ?? 'The admin'}, who made it, is deactivated`;
  }
  return null;
}

function TokenRow({ token: t, onRevoke }: { token: ApiToken; onRevoke: () => void }) {
  const revoked = t.revokedAt !== null;
  const stopped = revoked ? null : stoppedBecause(t);
  return (
    <li className="flex flex-wrap items-start gap-x-4 gap-y-2 py-3" data-testid="api-token">
      <div className="min-w-0 flex-1 basis-64 space-y-1">
        <p className="flex flex-wrap items-center gap-2">
          <span
            className={`break-words font-medium ${revoked ? 'text-slate-500 line-through' : 'text-slate-900'}`}
          >
            {t.name}
          </span>
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
              t.scope === 'full'
                ? 'bg-blue-50 text-blue-700 ring-blue-700/30'
                : 'bg-slate-100 text-slate-700 ring-slate-500/30'
            }`}
          >
            {t.scopes ? 'Chosen areas' : scopeLabels[t.scope].label}
          </span>
          {revoked ? (
            <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-700/30">
              Revoked
            </span>
          ) : t.stoppedReason === 'expired' ? (
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-500/30">
              Expired
            </span>
          ) : null}
          {stopped ? (
            <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-inset ring-amber-800/30">
              Stopped
            </span>
          ) : null}
        </p>
        <p className="break-all font-mono text-xs text-slate-600">{t.prefix}…</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
          <dt className="text-slate-600">Acts as</dt>
          <dd className="min-w-0 break-words text-slate-900">
            {t.user.name}
            {t.user.kind === 'bot' ? (
              <>
                {' '}
                <BotBadge />
              </>
            ) : null}
          </dd>
          {t.scopes ? (
            <>
              <dt className="text-slate-600">Reaches</dt>
              <dd className="min-w-0 break-words text-slate-900" data-testid="token-scopes">
                {scopesSaid(t.scopes)}
              </dd>
            </>
          ) : null}
          <dt className="text-slate-600">Created</dt>
          <dd className="min-w-0 text-slate-900">
            {formatDateTime(t.createdAt)}
            {t.createdBy ? ` by ${t.createdBy.name}` : ''}
          </dd>
          <dt className="text-slate-600">Last used</dt>
          <dd className="text-slate-900">
            {t.lastUsedAt ? (
              <time dateTime={t.lastUsedAt} title={formatDateTime(t.lastUsedAt)}>
                {timeAgo(t.lastUsedAt)}
              </time>
            ) : (
              'Never'
            )}
          </dd>
          <dt className="text-slate-600">Expires</dt>
          <dd className="text-slate-900" data-testid="token-expires">
            {t.expiresAt ? formatDateTime(t.expiresAt) : 'Never (until revoked)'}
          </dd>
          {t.revokedAt ? (
            <>
              <dt className="text-slate-600">Revoked</dt>
              <dd className="text-slate-900">{formatDateTime(t.revokedAt)}</dd>
            </>
          ) : null}
          {stopped ? (
            <>
              <dt className="text-slate-600">Stopped</dt>
              <dd className="min-w-0 break-words text-slate-900" data-testid="token-stopped">
                {stopped}: it works again if they are reactivated
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      {revoked ? null : (
        <Button variant="danger" onClick={onRevoke} aria-label={`Revoke ${t.name}`}>
          Revoke
        </Button>
      )}
    </li>
  );
}
