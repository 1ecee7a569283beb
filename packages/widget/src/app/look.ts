import type { PreChatCustomField, WidgetColorScheme, WidgetConfig } from '@parley/protocol';
import type { FrameOptions, LauncherLook, WidgetText } from '@parley/protocol/widget-frame';
import { directionOf, type Language } from './i18n.js';
import { en } from './locales/en.js';

export type Look = {
  color: string;
  position: 'left' | 'right';
  colorScheme: WidgetColorScheme;
  /** Parley can email: the away banner may promise a reply by email, transcripts exist. */
  email: boolean;
  text: WidgetText;
  /** The pre-chat form's labels in the visitor's language, by field (built-in or custom). */
  label(field: 'name' | 'email' | 'message' | PreChatCustomField): string;
  /** A select's option as the visitor reads it; the answer sent is the option itself. */
  option(field: PreChatCustomField, option: string): string;
};

const HEX = /^#[0-9a-f]{6}$/i;

/**
 * The server's widget settings in the visitor's language, with what the site passed to `init`
 * on top. For each text: the site's, else the admin's wording for this language, else the
 * settings' text, unless that is still Parley's default, which the visitor reads translated.
 */
export function mergeLook(
  config: WidgetConfig,
  options: FrameOptions,
  { locale, t }: Language,
): Look {
  const site = options.text ?? {};
  const own = config.translations[locale] ?? {};
  const stock = (value: string, key: 'title' | 'greeting' | 'awayMessage') =>
    value === en[key] ? t[key] : value;
  const title = site.title ?? own.title ?? stock(config.title, 'title');
  return {
    // The colour ends up in CSS: anything but a plain hex colour is ignored.
    color: options.color && HEX.test(options.color) ? options.color : config.color,
    position:
      options.position === 'left' || options.position === 'right'
        ? options.position
        : config.position,
    colorScheme: config.colorScheme,
    email: config.email,
    text: {
      title,
      greeting:
        options.greeting ?? site.greeting ?? own.greeting ?? stock(config.greeting, 'greeting'),
      awayMessage:
        site.awayMessage ??
        own.awayMessage ??
        (config.awayMessage === en.awayNoEmail
          ? t.awayNoEmail
          : stock(config.awayMessage, 'awayMessage')),
      launcherLabel: site.launcherLabel ?? title,
      awayLabel: site.awayLabel ?? t.awayLabel,
      inputPlaceholder: site.inputPlaceholder ?? t.inputPlaceholder,
    },
    label: (field) =>
      typeof field === 'string'
        ? (own.fields?.[field] ?? t[field])
        : (own.fields?.[field.id] ?? field.label),
    option: (field, option) => own.options?.[field.id]?.[option] ?? option,
  };
}

export const launcherLook = (
  look: Look,
  agentsOnline: boolean,
  { locale, t }: Language,
): LauncherLook => ({
  color: look.color,
  position: look.position,
  agentsOnline,
  launcherLabel: look.text.launcherLabel,
  awayLabel: look.text.awayLabel,
  closeLabel: t.close,
  unreadLabel: t.unread,
  lang: locale,
  dir: directionOf(locale),
});
