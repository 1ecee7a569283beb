import { widgetSnippetScript } from '@parley/protocol/widget-frame';
import { SERVER_URL } from '../api/server-url';

/**
 * What a site owner pastes before </body>, for this dashboard's server: one inline script, the
 * stub that keeps the calls and loads widget.js after the page's load (widgetSnippetScript),
 * and the first call, so that the widget never holds up the page.
 */
export function installSnippet(): string {
  const origin = SERVER_URL || window.location.origin;
  return [
    '<script>',
    `  ${widgetSnippetScript(origin)}`,
    `  LiveChatWidget.init({ apiUrl: "${origin}" });`,
    '</script>',
  ].join('\n');
}
