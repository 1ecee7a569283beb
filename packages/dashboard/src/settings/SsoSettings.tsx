import type { SsoSettingsPatch, SsoSettingsView } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { call } from '../api/client';
import { useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { Button, Card, Field, SelectField, Spinner, inputClass } from '../ui/controls';
import { copyText } from '../ui/copy';
import { FormActions } from '../ui/FormActions';
import { Option } from '../ui/OptionList';

/** The form's values: the secret typed anew (empty: keep the one set), domains as typed. */
type Draft = Omit<SsoSettingsView, 'clientSecretSet' | 'redirectUri' | 'allowedDomains'> & {
  clientSecret: string;
  domains: string;
  invitedOnly: boolean;
};

const draftOf = (s: SsoSettingsView): Draft => ({
  enabled: s.enabled,
  name: s.name,
  issuer: s.issuer,
  clientId: s.clientId,
  clientSecret: '',
  domains: s.allowedDomains.join(', '),
  invitedOnly: s.allowedDomains.length === 0,
  ssoOnly: s.ssoOnly,
  breakGlassUserId: s.breakGlassUserId,
});

const domainsOf = (d: Draft) =>
  d.invitedOnly
    ? []
    : d.domains
        .split(/[\s,]+/)
        .map((x) => x.trim().replace(/^@/, '').toLowerCase())
        .filter(Boolean);

/** What the admin changed, and only that: the server checks the provider again on a change. */
function changeOf(saved: SsoSettingsView, d: Draft): SsoSettingsPatch | null {
  const change: SsoSettingsPatch = {};
  if (d.enabled !== saved.enabled) change.enabled = d.enabled;
  if (d.name.trim() !== saved.name) change.name = d.name.trim();
  if (d.issuer.trim() !== saved.issuer) change.issuer = d.issuer.trim();
  if (d.clientId.trim() !== saved.clientId) change.clientId = d.clientId.trim();
  if (d.clientSecret) change.clientSecret = d.clientSecret;
  const domains = domainsOf(d);
  if (domains.join(',') !== saved.allowedDomains.join(',')) change.allowedDomains = domains;
  if (d.ssoOnly !== saved.ssoOnly) change.ssoOnly = d.ssoOnly;
  if (d.breakGlassUserId !== saved.breakGlassUserId) change.breakGlassUserId = d.breakGlassUserId;
  return Object.keys(change).length > 0 ? change : null;
}

/**
 * Settings → Sign-in → Single sign-on: one OpenID Connect provider. The client secret is
 * write-only (the server says only that one is set); the redirect URI is what to register at the
 * provider. "SSO only" keeps one admin's password, chosen here, for the day the provider fails.
 */
export function SsoSettings() {
  const qc = useQueryClient();
  const saved = useQuery({ queryKey: keys.ssoSettings, queryFn: () => call('getSsoSettings') });
  const users = useUsers();
  const [draft, setDraft] = useState<Draft | null>(null);
  const settings = saved.data?.settings;
  useEffect(() => {
    if (settings) setDraft(draftOf(settings));
  }, [settings]);
  const save = useSave({
    save: (body: SsoSettingsPatch) => call('updateSsoSettings', { body }),
    onSaved: (reply) => {
      qc.setQueryData(keys.ssoSettings, reply);
      // The login page's button follows.
      void qc.invalidateQueries({ queryKey: keys.setup });
    },
    done: 'Single sign-on saved',
    errorIn: 'form',
  });
  const id = useId();
  if (!settings || !draft) return <Spinner />;

  const set = (part: Partial<Draft>) => setDraft({ ...draft, ...part });
  const change = changeOf(settings, draft);
  const admins = (users.data?.items ?? []).filter(
    (u) => u.role === 'admin' && u.active && u.kind === 'person',
  );

  return (
    <Card title="Single sign-on">
      <form
        onSubmit={submitted(() => change && save.run(change))}
        className="max-w-2xl space-y-4 text-sm text-slate-700"
      >
        <p>
          Agents sign in with your company&apos;s identity provider (OpenID Connect: Okta, Entra ID,
          Google Workspace, Keycloak…). Register Parley there as a web application with this
          redirect URI and the scopes <code>openid email profile</code>.
        </p>
        <RedirectUri uri={settings.redirectUri} />
        <Option
          checked={draft.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
          label="Offer single sign-on"
          description={`The sign-in page shows “Sign in with ${draft.name.trim() || '…'}”.`}
        />
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="Provider name"
            hint="On the button: “Sign in with Acme”."
            value={draft.name}
            maxLength={100}
            onChange={(e) => set({ name: e.target.value })}
          />
          <Field
            label="Issuer URL"
            hint="Its discovery document is checked when you save."
            type="url"
            placeholder="https://id.acme.example"
            value={draft.issuer}
            onChange={(e) => set({ issuer: e.target.value })}
          />
          <Field
            label="Client ID"
            value={draft.clientId}
            autoComplete="off"
            onChange={(e) => set({ clientId: e.target.value })}
          />
          <Field
            label="Client secret"
            type="password"
            autoComplete="new-password"
            hint={
              settings.clientSecretSet
                ? 'Set. It is never shown; type a new one to replace it.'
                : 'Not set.'
            }
            placeholder={settings.clientSecretSet ? '•••••••• (set)' : ''}
            value={draft.clientSecret}
            onChange={(e) => set({ clientSecret: e.target.value })}
          />
        </div>
        <fieldset className="space-y-2">
          <legend className="mb-1 font-medium text-slate-900">
            Who gets an account on their first sign-in
          </legend>
          <Option
            type="radio"
            name={`${id}-who`}
            checked={!draft.invitedOnly}
            onChange={() => set({ invitedOnly: false })}
            label="People with a verified address at these domains, and invited people"
          />
          <input
            aria-label="Allowed email domains"
            placeholder="acme.example, acme-support.example"
            disabled={draft.invitedOnly}
            value={draft.domains}
            onChange={(e) => set({ domains: e.target.value })}
            className={`${inputClass} ml-6 max-w-[calc(100%-1.5rem)] disabled:bg-slate-100 disabled:text-slate-500`}
          />
          <Option
            type="radio"
            name={`${id}-who`}
            checked={draft.invitedOnly}
            onChange={() => set({ invitedOnly: true })}
            label="Only invited people"
            description="Someone without an account or an open invitation is turned away."
          />
        </fieldset>
        <Option
          checked={draft.ssoOnly}
          onChange={(e) => set({ ssoOnly: e.target.checked })}
          label="SSO only"
          description="Password sign-in and password resets are refused, except for the break-glass admin below."
        />
        {draft.ssoOnly ? (
          <SelectField
            label="Break-glass admin (keeps their password)"
            value={draft.breakGlassUserId ?? ''}
            onChange={(e) => set({ breakGlassUserId: e.target.value || null })}
            options={[
              { value: '', label: 'Choose an admin…' },
              ...admins.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
            ]}
          />
        ) : null}
        <FormActions submit="Save" busy={save.busy} disabled={change === null} error={save.error} />
      </form>
    </Card>
  );
}

function RedirectUri({ uri }: { uri: string }) {
  return (
    <div className="space-y-1">
      <p className="font-medium text-slate-900">Redirect URI</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="sso-redirect-uri"
          className="min-w-0 break-all rounded-md bg-slate-100 px-2 py-1 text-xs text-slate-900"
        >
          {uri}
        </code>
        <Button
          variant="secondary"
          onClick={() =>
            void copyText(uri, { done: 'Redirect URI copied', failed: 'Copy it by hand' })
          }
        >
          Copy
        </Button>
      </div>
    </div>
  );
}
