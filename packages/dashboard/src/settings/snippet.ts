import { widgetSnippetScript } from '@parley/protocol/widget-frame';
import { SERVER_URL } from '../api/server-url';

/**
 * What a site owner pastes before </body>, for this dashboard's server: one inline script, the
 * stub that keeps the calls and loads widget.js after the page's load (widgetSnippetScript),
 * and the first call, so that the widget never holds up the page. A site other than the default
 * one is named by its key; the default site's snippet names none, as snippets from before there
 * were sites do.
 */
export function installSnippet(siteKey?: string): string {
  return snippetFor(SERVER_URL || window.location.origin, siteKey);
}

export function snippetFor(origin: string, siteKey?: string): string {
  const site = siteKey ? `, site: "${siteKey}"` : '';
  return [
    '<script>',
    `  ${widgetSnippetScript(origin)}`,
    `  LiveChatWidget.init({ apiUrl: "${origin}"${site} });`,
    '</script>',
  ].join('\n');
}
