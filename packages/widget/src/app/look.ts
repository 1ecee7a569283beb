import type { WidgetColorScheme, WidgetConfig } from '@parley/protocol';
import type { FrameOptions, LauncherLook, WidgetText } from '@parley/protocol/widget-frame';

export type Look = {
  color: string;
  position: 'left' | 'right';
  colorScheme: WidgetColorScheme;
  /** Parley can email: the away banner may promise a reply by email, transcripts exist. */
  email: boolean;
  text: WidgetText;
};

const HEX = /^#[0-9a-f]{6}$/i;

/** The server's widget settings, with what the site passed to `init` on top. */
export function mergeLook(config: WidgetConfig, options: FrameOptions): Look {
  const t = options.text ?? {};
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
      title: t.title ?? config.title,
      greeting: options.greeting ?? t.greeting ?? config.greeting,
      awayMessage: t.awayMessage ?? config.awayMessage,
      launcherLabel: t.launcherLabel ?? config.title,
      awayLabel: t.awayLabel ?? "We're away · leave a message",
      inputPlaceholder: t.inputPlaceholder ?? 'Type your message…',
    },
  };
}

export const launcherLook = (look: Look, agentsOnline: boolean): LauncherLook => ({
  color: look.color,
  position: look.position,
  agentsOnline,
  launcherLabel: look.text.launcherLabel,
  awayLabel: look.text.awayLabel,
});
