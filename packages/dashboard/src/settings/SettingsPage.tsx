import { NavLink, useParams } from 'react-router';
import { useMe } from '../auth/AuthProvider';
import { AuditLogSettings } from '../audit/AuditLogSettings';
import { BansSettings } from '../bans/BansSettings';
import { ApiTokensSettings } from './ApiTokensSettings';
import { CannedResponsesSettings } from './CannedResponsesSettings';
import { EmailSettings } from './EmailSettings';
import { FilesSettings } from './FilesSettings';
import { IdentitySettings } from './IdentitySettings';
import { ProfileSettings } from './ProfileSettings';
import { RetentionSettings } from './RetentionSettings';
import { SignInSettings } from './SignInSettings';
import { SitesSettings } from './SitesSettings';
import { TeamSettings } from './TeamSettings';
import { WebhooksSettings } from './WebhooksSettings';
import { WidgetSettingsForm } from './WidgetSettingsForm';

const sections = [
  { id: 'profile', label: 'Profile', admin: false },
  { id: 'team', label: 'Team', admin: false },
  { id: 'canned', label: 'Canned responses', admin: false },
  { id: 'bans', label: 'Bans', admin: false },
  { id: 'sites', label: 'Sites', admin: true },
  { id: 'widget', label: 'Widget', admin: true },
  { id: 'identity', label: 'Identity', admin: true },
  { id: 'email', label: 'Email', admin: true },
  { id: 'files', label: 'Files', admin: true },
  { id: 'retention', label: 'Retention', admin: true },
  { id: 'webhooks', label: 'Webhooks', admin: true },
  { id: 'api-tokens', label: 'API tokens', admin: true },
  { id: 'sign-in', label: 'Sign-in', admin: true },
  { id: 'audit', label: 'Audit log', admin: true },
] as const;

export default function SettingsPage() {
  const me = useMe();
  const { section = 'profile' } = useParams();
  const visible = sections.filter((s) => !s.admin || me.role === 'admin');
  return (
    <div className="h-full overflow-y-auto p-4 md:p-6">
      <h1 className="mb-4 text-xl font-semibold text-slate-900">Settings</h1>
      <nav
        aria-label="Settings sections"
        className="mb-4 flex flex-wrap gap-x-1 border-b border-slate-200"
      >
        {visible.map((s) => (
          <NavLink
            key={s.id}
            to={`/settings/${s.id}`}
            className={() =>
              `-mb-px whitespace-nowrap border-b-2 px-2 py-2 sm:px-3 text-sm font-medium ${
                section === s.id
                  ? 'border-blue-600 text-blue-700'
                  : 'border-transparent text-slate-600 hover:text-slate-900'
              }`
            }
          >
            {s.label}
          </NavLink>
        ))}
      </nav>
      {section === 'team' ? <TeamSettings /> : null}
      {section === 'canned' ? <CannedResponsesSettings /> : null}
      {section === 'bans' ? <BansSettings /> : null}
      {section === 'sites' && me.role === 'admin' ? <SitesSettings /> : null}
      {section === 'widget' && me.role === 'admin' ? <WidgetSettingsForm /> : null}
      {section === 'identity' && me.role === 'admin' ? <IdentitySettings /> : null}
      {section === 'email' && me.role === 'admin' ? <EmailSettings /> : null}
      {section === 'files' && me.role === 'admin' ? <FilesSettings /> : null}
      {section === 'retention' && me.role === 'admin' ? <RetentionSettings /> : null}
      {section === 'webhooks' && me.role === 'admin' ? <WebhooksSettings /> : null}
      {section === 'api-tokens' && me.role === 'admin' ? <ApiTokensSettings /> : null}
      {section === 'sign-in' && me.role === 'admin' ? <SignInSettings /> : null}
      {section === 'audit' && me.role === 'admin' ? <AuditLogSettings /> : null}
      {section === 'profile' ? <ProfileSettings /> : null}
    </div>
  );
}
