/**
 * Where the Parley server is. Empty (the default): the page's own origin, since the server
 * serves this build. A dashboard deployed apart from the API (a static host; see
 * docs/dashboard-elsewhere.md) is built with `VITE_PARLEY_API_URL=https://chat.example.com`, and
 * that server lists the dashboard's origin in its DASHBOARD_ORIGINS.
 */
export const SERVER_URL = (import.meta.env.VITE_PARLEY_API_URL ?? '').replace(/\/+$/, '');

/** An absolute URL on the server, or the path itself when the server is this origin. */
export const serverUrl = (path: string): string => `${SERVER_URL}${path}`;

/**
 * The refresh cookie is sent on cross-origin requests only when asked for (`include`); on the
 * server's own origin `same-origin` sends it and never sends it anywhere else.
 */
export const cookieCredentials: RequestCredentials = SERVER_URL ? 'include' : 'same-origin';
