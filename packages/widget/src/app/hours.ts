import type { OpenNow, WidgetConfig } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import { fetchConfig } from './api.js';

// The site's business hours as the widget shows them: closed, the away state says when the
// team is back, in the visitor's own time zone and language (the browser's Intl data).

/** The longest a timer waits (setTimeout's limit is about 24.8 days). */
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * The hours and departments now; at the next opening or closing the settings are read again,
 * so a page left open flips to away (or back) on time.
 */
export function useHours(config: WidgetConfig) {
  const [now, setNow] = useState({ hours: config.hours, departments: config.departments });
  useEffect(() => {
    const next = now.hours?.closesAt ?? now.hours?.opensAt;
    if (!next) return;
    // A second past the boundary, so the server's reading is on the far side of it.
    const wait = Math.min(Math.max(Date.parse(next) - Date.now() + 1000, 1000), MAX_WAIT_MS);
    const timer = setTimeout(
      () =>
        void fetchConfig().then(
          (c) => setNow({ hours: c.hours, departments: c.departments }),
          () => setNow({ ...now }),
        ),
      wait,
    );
    return () => clearTimeout(timer);
  }, [now]);
  return now;
}

/** Closed by the hours (not merely nobody online). */
export const closedByHours = (hours: OpenNow | null) => hours !== null && !hours.open;

/**
 * When the team is back, as the parts of "We're back {day} at {time}": today or tomorrow in
 * words, a weekday within the week, a date further off; the time as the language writes it.
 */
export function backAt(
  iso: string,
  locale: string,
  now = new Date(),
): { day: string; time: string } {
  const at = new Date(iso);
  const days = Math.round((midnight(at) - midnight(now)) / 86_400_000);
  const day =
    days <= 1
      ? new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')
      : new Intl.DateTimeFormat(
          locale,
          days < 7 ? { weekday: 'long' } : { weekday: 'long', month: 'long', day: 'numeric' },
        ).format(at);
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(at);
  return { day, time };
}

/** The local midnight before `d`, in ms (a day's number in the visitor's zone). */
const midnight = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
