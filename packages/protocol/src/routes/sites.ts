/**
 * Websites (issue 34): each with its own widget, snippet key, teams and hours: `/api/sites/*`.
 */
import { z } from 'zod';
import { Schedule } from '../hours.js';
import { Id, safeText, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { SiteKey, WidgetSettings } from '../settings.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';
import { TeamHours } from './teams.js';

export const Site = z.object({
  id: Id,
  key: SiteKey,
  name: z.string(),
  /** The site a snippet without a key reaches (the one Parley had before there were sites). */
  isDefault: z.boolean(),
  /** Its widget: look, texts, languages, pre-chat questions, away message, allowed origins. */
  widget: WidgetSettings,
  /** The teams its new chats go to, in the order tried; none: any agent. */
  teamIds: z.array(Id),
  /** The pre-chat form lets the visitor choose among `teamIds` (a "department"). */
  departmentChoice: z.boolean(),
  /** Hours of its own; null: its teams' hours (or always open, when none has any). */
  schedule: Schedule.nullable(),
  /** Now, by its hours (its own, else its teams'); null when none apply: always open. */
  hours: TeamHours.nullable(),
  /** The sender name of emails to its visitors; null: Parley's MAIL_FROM name. */
  emailSenderName: z.string().nullable(),
  /** The bot that answers its new chats first; null: its team's bot, or none. */
  botId: Id.nullable(),
  createdAt: Timestamp,
});
export type Site = z.infer<typeof Site>;

const SiteName = safeText(60).pipe(z.string().min(1, 'A site needs a name'));
const TeamIds = z
  .array(Id)
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, 'A team is listed twice');

const siteFields = {
  name: SiteName,
  /** Made up when not given. */
  key: SiteKey,
  widget: WidgetSettings.partial(),
  teamIds: TeamIds,
  departmentChoice: z.boolean(),
  schedule: Schedule.nullable(),
  emailSenderName: safeText(60).pipe(z.string().min(1)).nullable(),
  botId: Id.nullable(),
};
export const SiteBody = z
  .object({ ...siteFields })
  .partial()
  .required({ name: true });
export type SiteBody = z.infer<typeof SiteBody>;
export const SitePatchBody = z
  .object({ ...siteFields })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type SitePatchBody = z.infer<typeof SitePatchBody>;
export const SiteListReply = z.object({ items: z.array(Site) });
export type SiteListReply = z.infer<typeof SiteListReply>;
export const SiteReply = z.object({ site: Site });
export type SiteReply = z.infer<typeof SiteReply>;

const tag = 'Sites';

export const siteRoutes = {
  listSites: {
    ...at.listSites,
    tag,
    summary: 'All websites, with their widgets, teams and whether their hours have them open now',
    auth: 'agent',
    responses: { 200: SiteListReply },
  },
  createSite: {
    ...at.createSite,
    tag,
    summary: 'Add a website (admins)',
    auth: 'admin',
    body: SiteBody,
    responses: { 201: SiteReply },
    errors: [404, 409],
  },
  updateSite: {
    ...at.updateSite,
    tag,
    summary: "Change a website's widget, teams, hours or key (admins)",
    auth: 'admin',
    params: IdParams,
    body: SitePatchBody,
    responses: { 200: SiteReply },
    errors: [404, 409],
  },
  deleteSite: {
    ...at.deleteSite,
    tag,
    summary: 'Delete a website that has no visitors yet (admins); the default site stays',
    auth: 'admin',
    params: IdParams,
    responses: { 204: null },
    errors: [404, 409],
  },
} as const satisfies RouteEntries;
