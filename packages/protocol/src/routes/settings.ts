/**
 * The widget, files, identity and email, as admins set them: `/api/settings/*`. The settings
 * themselves are in settings.ts and identity.ts, beside the rules they state; their requests
 * and replies are here.
 */
import { z } from 'zod';
import { IdentitySettingsView } from '../identity.js';
import { Id, Timestamp } from '../primitives.js';
import { JobReply } from '../rest.js';
import {
  FileSettings,
  RetentionSettings,
  SiteKey,
  WidgetConfig,
  WidgetSettings,
} from '../settings.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

/** Which site's widget: its key; without one, the default site (snippets from before sites). */
export const WidgetConfigQuery = z.object({ site: SiteKey.optional() });
export type WidgetConfigQuery = z.infer<typeof WidgetConfigQuery>;
/** `GET /api/settings/widget/public`: the widget's look, before any visitor session exists. */
export const WidgetConfigReply = z.object({ config: WidgetConfig });
export type WidgetConfigReply = z.infer<typeof WidgetConfigReply>;
/** `GET /api/settings/email`: whether Parley can send email (SMTP_URL and MAIL_FROM are set). */
export const EmailSettingsReply = z.object({
  enabled: z.boolean(),
  /** The sender address, when enabled. */
  from: z.string().nullable(),
  /** Replies by email come back: the domain of the reply addresses (INBOUND_EMAIL_DOMAIN). */
  inboundDomain: z.string().nullable(),
  /** How long an agent's reply waits unseen before it is emailed to the visitor. */
  unseenDelaySeconds: z.int(),
  /** How long a conversation waits in the queue before the team is emailed about it. */
  waitingAlertSeconds: z.int(),
});
export type EmailSettingsReply = z.infer<typeof EmailSettingsReply>;

export const RetentionSettingsPatch = RetentionSettings.partial().refine(
  (b) => Object.keys(b).length > 0,
  { message: 'Nothing to change' },
);
export type RetentionSettingsPatch = z.infer<typeof RetentionSettingsPatch>;
/** What the retention job deleted in its last run (a run is the batches of one hourly turn). */
export const RetentionRun = z.object({
  startedAt: Timestamp,
  /** Null while it runs. */
  finishedAt: Timestamp.nullable(),
  /** Conversations whose content was deleted. */
  conversations: z.int(),
  messages: z.int(),
  files: z.int(),
  /** Visitors deleted, or emptied of their details. */
  visitors: z.int(),
  webhookDeliveries: z.int(),
  jobs: z.int(),
  /** Audit records older than the audit log's period (a run stored before it counted none). */
  auditEvents: z.int().default(0),
});
export type RetentionRun = z.infer<typeof RetentionRun>;
export const RetentionSettingsReply = z.object({
  settings: RetentionSettings,
  lastRun: RetentionRun.nullable(),
});
export type RetentionSettingsReply = z.infer<typeof RetentionSettingsReply>;

export const WidgetSettingsPatch = WidgetSettings.partial().refine(
  (b) => Object.keys(b).length > 0,
  { message: 'Nothing to change' },
);
export type WidgetSettingsPatch = z.infer<typeof WidgetSettingsPatch>;
export const WidgetSettingsReply = z.object({ settings: WidgetSettings });
export type WidgetSettingsReply = z.infer<typeof WidgetSettingsReply>;
export const FileSettingsPatch = FileSettings.partial().refine((b) => Object.keys(b).length > 0, {
  message: 'Nothing to change',
});
export type FileSettingsPatch = z.infer<typeof FileSettingsPatch>;
export const FileSettingsReply = z.object({ settings: FileSettings });
export type FileSettingsReply = z.infer<typeof FileSettingsReply>;
/** Which site's identity settings: each has a secret of its own; none: the default site's. */
export const IdentitySettingsQuery = z.object({ siteId: Id.optional() });
export type IdentitySettingsQuery = z.infer<typeof IdentitySettingsQuery>;
export const IdentitySettingsPatch = z.strictObject({ requireVerification: z.boolean() });
export type IdentitySettingsPatch = z.infer<typeof IdentitySettingsPatch>;
export const IdentitySettingsReply = z.object({ settings: IdentitySettingsView });
export type IdentitySettingsReply = z.infer<typeof IdentitySettingsReply>;
/** `GET /api/settings/identity/secret`: a signed-in admin only, never a token; recorded. */
export const IdentitySecretReply = z.object({ secret: z.string() });
export type IdentitySecretReply = z.infer<typeof IdentitySecretReply>;

const tag = 'Settings';

export const settingsRoutes = {
  getWidgetConfig: {
    ...at.getWidgetConfig,
    tag,
    summary: "A site's widget: its look, hours and departments, for the widget itself",
    auth: 'none',
    query: WidgetConfigQuery,
    responses: { 200: WidgetConfigReply },
  },
  getWidgetSettings: {
    ...at.getWidgetSettings,
    tag,
    summary: 'The widget settings',
    auth: 'agent',
    responses: { 200: WidgetSettingsReply },
  },
  updateWidgetSettings: {
    ...at.updateWidgetSettings,
    tag,
    summary: 'Change the widget settings',
    auth: 'admin',
    body: WidgetSettingsPatch,
    responses: { 200: WidgetSettingsReply },
  },
  getFileSettings: {
    ...at.getFileSettings,
    tag,
    summary: 'What may be sent as a file',
    auth: 'agent',
    responses: { 200: FileSettingsReply },
  },
  updateFileSettings: {
    ...at.updateFileSettings,
    tag,
    summary: 'Change what may be sent as a file',
    auth: 'admin',
    body: FileSettingsPatch,
    responses: { 200: FileSettingsReply },
  },
  getRetentionSettings: {
    ...at.getRetentionSettings,
    tag,
    summary: 'How long conversations, idle visitors, the webhook log and done jobs are kept',
    auth: 'admin',
    responses: { 200: RetentionSettingsReply },
  },
  updateRetentionSettings: {
    ...at.updateRetentionSettings,
    tag,
    summary: 'Change how long data is kept (recorded in the audit log, with before and after)',
    description:
      'Shortening a period deletes what it now expires at the next run of the retention job, which this change starts at once: in small batches, while chats go on. Reports keep their counts.',
    auth: 'admin',
    body: RetentionSettingsPatch,
    responses: { 200: RetentionSettingsReply },
  },
  getIdentitySettings: {
    ...at.getIdentitySettings,
    tag,
    summary: 'Whether verification is required, and who last revealed the secret',
    auth: 'admin',
    query: IdentitySettingsQuery,
    responses: { 200: IdentitySettingsReply },
    errors: [404],
  },
  getIdentitySecret: {
    ...at.getIdentitySecret,
    tag,
    summary: 'The identity secret: to an admin signed in to the dashboard, never a token; recorded',
    auth: 'admin',
    revealsSecret: true,
    query: IdentitySettingsQuery,
    responses: { 200: IdentitySecretReply },
    errors: [403, 404],
  },
  updateIdentitySettings: {
    ...at.updateIdentitySettings,
    tag,
    summary: 'Require verified identities, or not',
    auth: 'admin',
    query: IdentitySettingsQuery,
    body: IdentitySettingsPatch,
    responses: { 200: IdentitySettingsReply },
    errors: [404],
  },
  rotateIdentitySecret: {
    ...at.rotateIdentitySecret,
    tag,
    summary: 'A new identity secret: old hashes and verified sessions end',
    auth: 'admin',
    query: IdentitySettingsQuery,
    responses: { 200: IdentitySettingsReply },
    errors: [404],
  },
  getEmailSettings: {
    ...at.getEmailSettings,
    tag,
    summary: 'Whether Parley can send email, and how',
    auth: 'admin',
    responses: { 200: EmailSettingsReply },
  },
  sendTestEmail: {
    ...at.sendTestEmail,
    tag,
    summary: 'Email yourself to check the mail set-up',
    auth: 'admin',
    responses: { 202: JobReply },
    errors: [404, 409],
  },
} as const satisfies RouteEntries;
