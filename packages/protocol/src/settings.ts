import { z } from 'zod';
import { safeText } from './primitives.js';
import { WIDGET_LOCALES } from './widget-frame.js';
import { AUDIT_LOG_MIN_DAYS, MAX_FILE_MB } from './limits.js';
import { OpenNow } from './hours.js';

export const PreChatField = z.enum(['off', 'optional', 'required']);
export type PreChatField = z.infer<typeof PreChatField>;

/** The chat's colours: light, dark, or following the visitor's device. */
export const WidgetColorScheme = z.enum(['auto', 'light', 'dark']);
export type WidgetColorScheme = z.infer<typeof WidgetColorScheme>;

/** An origin as browsers send it: scheme, host and port, no path. */
export const Origin = z
  .string()
  .max(200)
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'An origin such as https://shop.example.com')
  .transform((s) => s.toLowerCase());

/** The languages the widget speaks (listed in widget-frame.ts, which the widget imports). */
export const WidgetLocale = z.enum(WIDGET_LOCALES);
export type WidgetLocale = z.infer<typeof WidgetLocale>;

/** How a pre-chat question is answered: a line of text, one of a list, or a tick. */
export const PreChatFieldType = z.enum(['text', 'select', 'checkbox']);
export type PreChatFieldType = z.infer<typeof PreChatFieldType>;

/**
 * A key of `Visitor.attributes`: short, lower case, and not one of the built-in fields, so that
 * webhooks and the visitor panel can show it as is.
 */
export const AttributeKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _, starting with a letter');

/**
 * A question of the admin's own on the pre-chat form. The answer is kept in the visitor's
 * `attributes` under `id`: the text typed, the option chosen, or "true"/"false" for a checkbox.
 */
export const PreChatCustomField = z
  .object({
    id: AttributeKey.refine((id) => !['name', 'email', 'message'].includes(id), {
      message: 'name, email and message are the built-in fields',
    }),
    label: safeText(100).pipe(z.string().min(1, 'A label is needed')),
    type: PreChatFieldType,
    required: z.boolean(),
    /** The choices of a select, in order; ignored for the other types. */
    options: z.array(safeText(100).pipe(z.string().min(1))).max(30),
  })
  .refine((f) => f.type !== 'select' || f.options.length > 0, {
    message: 'A select needs at least one option',
    path: ['options'],
  });
export type PreChatCustomField = z.infer<typeof PreChatCustomField>;

/**
 * The admin's own wording in one language, over the widget's built-in texts: the header's
 * title, the greeting (also the pre-chat form's intro), the away message, the labels of the
 * form's fields (built-in ones by name, custom ones by id), and the choices of a select as the
 * visitor reads them. Unset texts fall back to the main settings' text, or, where that is still
 * Parley's default, to the built-in translation.
 */
export const WidgetTranslation = z.object({
  title: safeText(60).optional(),
  greeting: safeText(500).optional(),
  awayMessage: safeText(500).optional(),
  fields: z.record(z.string().max(40), safeText(100)).optional(),
  /**
   * By question id, then by the option as the settings spell it: the words shown for it. The
   * answer kept is always the option itself, so answers read the same whatever the language.
   */
  options: z.record(z.string().max(40), z.record(z.string().max(100), safeText(100))).optional(),
});
export type WidgetTranslation = z.infer<typeof WidgetTranslation>;

/**
 * What a snippet names its site by (`LiveChatWidget.init({ site })`): lower-case letters, digits
 * and dashes. Public: it is in every page of the site.
 */
export const SiteKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'Lower-case letters, digits and dashes, 2 to 40');

/** The widget's look and behaviour, set by admins in the dashboard (issue #3, #4). */
export const WidgetSettings = z.object({
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A hex colour such as #2563eb'),
  position: z.enum(['right', 'left']),
  colorScheme: WidgetColorScheme,
  title: safeText(60),
  greeting: safeText(500),
  awayMessage: safeText(500),
  preChat: z.object({ name: PreChatField, email: PreChatField, message: PreChatField }),
  /** Questions of the admin's own, asked after name and email, before the message. */
  preChatFields: z
    .array(PreChatCustomField)
    .max(10)
    .refine((fields) => new Set(fields.map((f) => f.id)).size === fields.length, {
      message: 'Two questions have the same key',
    }),
  /** The language for visitors whose browser asks for none the widget speaks. */
  defaultLocale: WidgetLocale,
  /** The admin's wording per language (see WidgetTranslation). */
  translations: z.partialRecord(WidgetLocale, WidgetTranslation),
  /** Sites allowed to embed the widget; empty allows any (first use). */
  allowedOrigins: z.array(Origin).max(50),
});
export type WidgetSettings = z.infer<typeof WidgetSettings>;

export const defaultWidgetSettings: WidgetSettings = {
  color: '#2563eb',
  position: 'right',
  colorScheme: 'auto',
  title: 'Chat with us',
  greeting: 'Hi! How can we help you today?',
  awayMessage: "We're away right now. Leave a message and we'll get back to you by email.",
  preChat: { name: 'optional', email: 'optional', message: 'off' },
  preChatFields: [],
  defaultLocale: 'en',
  translations: {},
  allowedOrigins: [],
};

/** Kinds of file an admin may allow; the type is always read from the bytes. */
export const FileCategory = z.enum(['images', 'pdf', 'text', 'office', 'archives']);
export type FileCategory = z.infer<typeof FileCategory>;
export { AUDIT_LOG_MIN_DAYS, MAX_FILE_MB };
/** What may be sent as a file, in both the widget and the dashboard. */
export const FileSettings = z.object({
  maxMb: z.number().min(0.1).max(MAX_FILE_MB),
  types: z.array(FileCategory).max(FileCategory.options.length),
});
export type FileSettings = z.infer<typeof FileSettings>;
export const defaultFileSettings: FileSettings = {
  maxMb: 10,
  types: ['images', 'pdf', 'text', 'office', 'archives'],
};

/**
 * How long Parley keeps what it holds (issue 35). A day count, or null: kept forever. Expired
 * data is deleted by the hourly retention job in small batches; reports keep their counts.
 */
export const RetentionSettings = z.object({
  /**
   * A closed conversation's messages, files, notes and tags, this many days after it closed
   * (what stays: its times, site, team, agent and rating, for the reports).
   */
  closedConversationDays: z.int().min(1).max(36500).nullable(),
  /**
   * A visitor not seen this many days with no conversation left: deleted (with their pages
   * visited); one whose conversations all expired keeps no name, address or attributes.
   */
  idleVisitorDays: z.int().min(1).max(36500).nullable(),
  /** The webhook delivery log (each event sent and the endpoint's answers). */
  webhookLogDays: z.int().min(1).max(3650),
  /** Background jobs that are done (emails sent, files deleted), kept to look at. */
  doneJobDays: z.int().min(1).max(3650),
  /**
   * The audit log (who changed what): at least a month, since it is what an incident is
   * looked into with.
   */
  auditLogDays: z.int().min(AUDIT_LOG_MIN_DAYS).max(36500),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;
export const defaultRetentionSettings: RetentionSettings = {
  closedConversationDays: null,
  idleVisitorDays: null,
  webhookLogDays: 30,
  doneJobDays: 30,
  auditLogDays: 365,
};

/** What the widget loads before it draws: the look, without the origin list. */
export const WidgetConfig = WidgetSettings.omit({ allowedOrigins: true }).extend({
  agentsOnline: z.boolean(),
  /** Parley can email: replies reach visitors who left, and transcripts can be sent. */
  email: z.boolean(),
  /** What files visitors may send. */
  files: FileSettings,
  /** The website this widget serves. */
  site: z.object({ id: z.string(), key: z.string(), name: z.string() }),
  /**
   * Whether the site's hours have it open now, until or from when; null: no hours, always
   * open. Closed, the widget shows the away state with when it opens next.
   */
  hours: OpenNow.nullable(),
  /**
   * The teams the visitor may choose from on the pre-chat form, each with its hours now; empty
   * when the site lets nobody choose.
   */
  departments: z.array(z.object({ id: z.string(), name: z.string(), hours: OpenNow.nullable() })),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;
