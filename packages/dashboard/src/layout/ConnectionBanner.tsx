import { WifiOff } from 'lucide-react';
import { useRealtime } from '../realtime/RealtimeProvider';

/** Shown while the socket is down; on reconnect the open views catch up through `sync`. */
export function ConnectionBanner() {
  const { connection } = useRealtime();
  if (connection !== 'reconnecting') return null;
  return (
    <div
      role="status"
      className="flex items-center gap-2 bg-amber-100 px-4 py-2 text-sm text-amber-900"
    >
      <WifiOff aria-hidden className="h-4 w-4" />
      Connection lost. Reconnecting… Messages you send are kept and retried.
    </div>
  );
}
