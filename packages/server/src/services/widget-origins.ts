import type { Context } from '../context.js';
import { getWidgetSettings } from './settings.js';

/**
 * Whether a page of `origin` may embed the widget: any when the list is empty (first use, before
 * an admin sets it), otherwise only the listed sites. Parley's own pages (the /demo page, the
 * widget's iframe talking to its server) are always allowed: `selfHost` is the Host they use.
 */
export async function widgetOriginAllowed(
  ctx: Context,
  origin: string | undefined,
  selfHost: string | undefined,
): Promise<boolean> {
  if (!origin) return true;
  const normalized = origin.toLowerCase();
  // Sandboxed frames and local files say `null`: no site is behind it to allow.
  if (normalized === 'null') return false;
  if (selfHost && hostOf(normalized) === selfHost.toLowerCase()) return true;
  const { allowedOrigins } = await getWidgetSettings(ctx);
  return allowedOrigins.length === 0 || allowedOrigins.includes(normalized);
}

/** The allowed origins as a CSP source list: who may frame the chat. */
export async function widgetFrameAncestors(ctx: Context): Promise<string> {
  const { allowedOrigins } = await getWidgetSettings(ctx);
  return allowedOrigins.length === 0 ? "'self' *" : ["'self'", ...allowedOrigins].join(' ');
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
