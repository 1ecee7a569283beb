import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { siteById, siteByKey, widgetOf } from './sites.js';

/**
 * Whether a page of `origin` may embed the widget of a site (by its key, or its id for a
 * visitor's socket): any when the site's list is empty (first use, before an admin sets it),
 * otherwise only the listed origins. Parley's own pages (the /demo page, the widget's iframe
 * talking to its server) are always allowed: `selfHost` is the Host they use.
 */
export async function widgetOriginAllowed(
  ctx: Context,
  site: { key: string | undefined } | { id: string },
  origin: string | undefined,
  selfHost: string | undefined,
): Promise<boolean> {
  if (!origin) return true;
  const normalized = origin.toLowerCase();
  // Sandboxed frames and local files say `null`: no site is behind it to allow.
  if (normalized === 'null') return false;
  if (selfHost && hostOf(normalized) === selfHost.toLowerCase()) return true;
  const { allowedOrigins } = await widgetSettingsOf(ctx, site);
  return allowedOrigins.length === 0 || allowedOrigins.includes(normalized);
}

/** Whether a snippet's site key (or none: the default site) names a site. */
export async function widgetSiteExists(ctx: Context, key: string | undefined): Promise<boolean> {
  return siteByKey(ctx, key).then(
    () => true,
    (error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') return false;
      throw error;
    },
  );
}

/** The site's allowed origins as a CSP source list: who may frame its chat. */
export async function widgetFrameAncestors(
  ctx: Context,
  site: { key: string | undefined },
): Promise<string> {
  const { allowedOrigins } = await widgetSettingsOf(ctx, site);
  return allowedOrigins.length === 0 ? "'self' *" : ["'self'", ...allowedOrigins].join(' ');
}

async function widgetSettingsOf(ctx: Context, site: { key: string | undefined } | { id: string }) {
  return widgetOf('id' in site ? await siteById(ctx, site.id) : await siteByKey(ctx, site.key));
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
