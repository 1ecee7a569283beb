import type { WidgetSettings } from '@parley/protocol';
import { MessageCircle, X } from 'lucide-react';

/**
 * A drawing of the widget with the unsaved settings, so the admin sees a change before saving.
 * A fixed scheme is drawn in it; `auto` follows the dashboard's own, as the widget follows the
 * visitor's device.
 */
export function WidgetPreview({ settings }: { settings: WidgetSettings }) {
  const side = settings.position === 'left' ? 'left-3 items-start' : 'right-3 items-end';
  const color = /^#[0-9a-fA-F]{6}$/.test(settings.color) ? settings.color : '#2563eb';
  const fields = (['name', 'email'] as const).filter((f) => settings.preChat[f] !== 'off');
  return (
    <div
      className="relative h-96 overflow-hidden rounded-md border border-slate-200 bg-gradient-to-b from-slate-100 to-slate-200"
      aria-label="Widget preview"
      role="img"
      style={{ colorScheme: settings.colorScheme === 'auto' ? undefined : settings.colorScheme }}
    >
      <div className={`absolute bottom-3 flex flex-col gap-2 ${side}`}>
        <div className="w-64 overflow-hidden rounded-xl bg-white shadow-lg">
          <div
            className="flex items-center justify-between px-3 py-2 text-sm font-semibold text-on-accent"
            style={{ backgroundColor: color }}
          >
            {settings.title || 'Chat'}
            <X aria-hidden className="h-4 w-4" />
          </div>
          <div className="space-y-2 p-3 text-xs">
            <div className="max-w-[85%] rounded-lg bg-slate-100 px-2 py-1.5 text-slate-800">
              {settings.greeting}
            </div>
            {fields.map((f) => (
              <div key={f} className="rounded border border-slate-300 px-2 py-1 text-slate-500">
                {f === 'name' ? 'Your name' : 'Your email'}
                {settings.preChat[f] === 'required' ? ' *' : ''}
              </div>
            ))}
            <div className="rounded border border-slate-300 px-2 py-1.5 text-slate-500">
              Type a message…
            </div>
          </div>
        </div>
        <span
          className="flex h-12 w-12 items-center justify-center rounded-full text-on-accent shadow-lg"
          style={{ backgroundColor: color }}
        >
          <MessageCircle aria-hidden className="h-6 w-6" />
        </span>
      </div>
    </div>
  );
}
