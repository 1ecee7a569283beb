import type { OpenNow } from '@parley/protocol';
import { hoursLine } from './hours';

/** Open now (green), closed (grey), or no hours at all (always open), in the reader's zone. */
export function HoursBadge({ hours }: { hours: OpenNow | null }) {
  const open = hours === null || hours.open;
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        open
          ? 'bg-green-50 text-green-800 ring-green-600/30'
          : 'bg-slate-100 text-slate-700 ring-slate-500/30'
      }`}
    >
      {hoursLine(hours)}
    </span>
  );
}
