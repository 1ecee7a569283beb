// The audit log's words: what each recorded action is called on the page, its kinds for the
// filter, and a record's details as rows of what changed. Actions the page does not know yet
// (added by a newer server) are shown by their own name, made readable.

/** The kinds of action the filter offers (`<kind>.<verb>`), in the order an admin looks. */
export const auditKinds: Readonly<Record<string, string>> = {
  sign_in: 'Sign-ins',
  password: 'Passwords',
  two_factor: 'Two-factor sign-in',
  two_factor_policy: 'Two-factor policy',
  sso: 'Single sign-on',
  sessions: 'Sessions ended',
  user: 'People',
  invitation: 'Invitations',
  api_token: 'API tokens',
  webhook: 'Webhooks',
  webhook_secret: 'Webhook secrets',
  identity_secret: 'Identity secret',
  identity_settings: 'Identity settings',
  widget_settings: 'Widget',
  site: 'Sites',
  team: 'Teams',
  file_settings: 'Files',
  email_settings: 'Email',
  bot_settings: 'Bots',
  retention: 'Retention',
  ban: 'Bans',
  contact: 'Contact exports and erasures',
};

const labels: Readonly<Record<string, string>> = {
  'sign_in.succeeded': 'Signed in',
  'sign_in.failed': 'Failed sign-in',
  'password.changed': 'Changed their password',
  'password.reset': 'Reset their password',
  'sessions.ended': "Ended a user's sessions",
  'user.added': 'Added a user',
  'user.changed': 'Changed a user',
  'user.deactivated': 'Deactivated a user',
  'user.reactivated': 'Reactivated a user',
  'invitation.created': 'Invited someone',
  'invitation.revoked': 'Revoked an invitation',
  'invitation.renewed': 'Renewed an invitation',
  'invitation.accepted': 'Accepted an invitation',
  'two_factor.enabled': 'Turned on two-factor sign-in',
  'two_factor.disabled': 'Turned off two-factor sign-in',
  'two_factor.reset_by_admin': "Reset a user's two-factor sign-in",
  'two_factor.recovery_code_used': 'Used a recovery code',
  'two_factor_policy.changed': 'Changed the two-factor policy',
  'sso.changed': 'Changed single sign-on',
  'sso.linked': 'Linked an account to single sign-on',
  'api_token.created': 'Created an API token',
  'api_token.revoked': 'Revoked an API token',
  'webhook.created': 'Added a webhook endpoint',
  'webhook.changed': 'Changed a webhook endpoint',
  'webhook.deleted': 'Deleted a webhook endpoint',
  'webhook_secret.revealed': 'Revealed a webhook secret',
  'webhook_secret.rotated': 'Rotated a webhook secret',
  'identity_secret.revealed': 'Revealed the identity secret',
  'identity_secret.rotated': 'Rotated the identity secret',
  'identity_settings.changed': 'Changed identity settings',
  'widget_settings.changed': 'Changed the widget',
  'site.created': 'Added a site',
  'site.changed': 'Changed a site',
  'site.deleted': 'Deleted a site',
  'team.created': 'Added a team',
  'team.changed': 'Changed a team',
  'team.deleted': 'Deleted a team',
  'file_settings.changed': 'Changed file settings',
  'email_settings.changed': 'Changed email settings',
  'bot_settings.changed': 'Changed bot settings',
  'retention.changed': 'Changed retention',
  'ban.created': 'Banned a visitor or address',
  'ban.lifted': 'Lifted a ban',
  'contact.exported': "Exported a contact's data",
  'contact.erased': 'Erased a contact',
};

const readable = (name: string) => {
  const text = name.replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** What the page calls an action: `user.changed` → "Changed a user". */
export const actionLabel = (action: string): string => labels[action] ?? readable(action);

/** A row of a record's details: a path (`widget.title`) and its value before and after. */
export type DetailRow = { path: string; before?: string; after?: string };

const shown = (value: unknown): string =>
  value === null || value === undefined
    ? '—'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ a: { b: 1 } }` → `[['a.b', 1]]`: nested settings read as one line each. */
function flatten(value: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  return Object.entries(value).flatMap(([key, v]) =>
    isObject(v) && Object.keys(v).length > 0
      ? flatten(v, `${prefix}${key}.`)
      : [[`${prefix}${key}`, v] as [string, unknown]],
  );
}

/**
 * A record's details as rows: a change (`before`/`after`) as one row per changed value with
 * both sides; anything else (`reason`, `method`) as a row with its value alone.
 */
export function detailRows(details: Record<string, unknown> | null): DetailRow[] {
  if (!details) return [];
  const { before, after, ...rest } = details;
  const rows = new Map<string, DetailRow>();
  if (isObject(before)) {
    for (const [path, v] of flatten(before)) rows.set(path, { path, before: shown(v) });
  }
  if (isObject(after)) {
    for (const [path, v] of flatten(after)) {
      rows.set(path, { ...(rows.get(path) ?? { path }), after: shown(v) });
    }
  }
  const others = flatten(rest).map(([path, v]) => ({ path, after: shown(v) }));
  return [...rows.values(), ...others];
}

/** A date input's day (local) as the instant it begins; `nextDay` for an inclusive end. */
export function dayStart(day: string, nextDay = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (nextDay ? 1 : 0)).toISOString();
}
