import { SERVER_URL } from '../api/server-url';

/** The two script tags a site owner pastes before </body>, for this dashboard's server. */
export function installSnippet(): string {
  const origin = SERVER_URL || window.location.origin;
  return `<script src="${origin}/widget.js"></script>\n<script>LiveChatWidget.init({ apiUrl: "${origin}" });</script>`;
}
