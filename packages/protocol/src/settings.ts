import { z } from 'zod';
import { safeText } from './primitives.js';

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

/** The widget's look and behaviour, set by admins in the dashboard (issue #3, #4). */
export const WidgetSettings = z.object({
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A hex colour such as #2563eb'),
  position: z.enum(['right', 'left']),
  colorScheme: WidgetColorScheme,
  title: safeText(60),
  greeting: safeText(500),
  awayMessage: safeText(500),
  preChat: z.object({ name: PreChatField, email: PreChatField, message: PreChatField }),
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
  allowedOrigins: [],
};

export const WidgetSettingsPatch = WidgetSettings.partial().refine(
  (b) => Object.keys(b).length > 0,
  { message: 'Nothing to change' },
);
export type WidgetSettingsPatch = z.infer<typeof WidgetSettingsPatch>;
export const WidgetSettingsReply = z.object({ settings: WidgetSettings });
export type WidgetSettingsReply = z.infer<typeof WidgetSettingsReply>;

/** What the widget loads before it draws: the look, without the origin list. */
export const WidgetConfig = WidgetSettings.omit({ allowedOrigins: true }).extend({
  agentsOnline: z.boolean(),
  /** Parley can email: replies reach visitors who left, and transcripts can be sent. */
  email: z.boolean(),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;
