import { X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Button } from '../ui/controls';
import { shortcuts } from './shortcuts';

// Keys handled where they are typed (the composer, a focused row), listed for completeness.
const inPlace = [
  { key: 'Enter', label: 'Open the focused conversation; send the reply' },
  { key: 'Shift+Enter', label: 'New line in the reply' },
  { key: '#', label: 'Canned responses, in the reply' },
  { key: 'Escape', label: 'Leave a text field; close a menu or this dialog' },
];

/** The `?` dialog, mounted while open. A native modal dialog: it holds focus, Escape closes it. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="shortcut-help-title"
      className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40"
    >
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <h2 id="shortcut-help-title" className="text-base font-semibold">
          Keyboard shortcuts
        </h2>
        <Button variant="ghost" onClick={onClose} aria-label="Close keyboard shortcuts">
          <X aria-hidden className="h-4 w-4" />
        </Button>
      </div>
      <dl className="space-y-2 px-4 py-3 text-sm">
        {[...Object.values(shortcuts), ...inPlace].map(({ key, label }) => (
          <div key={key} className="flex items-baseline gap-3">
            <dt className="w-24 shrink-0">
              <kbd className="rounded border border-slate-300 bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                {key}
              </kbd>
            </dt>
            <dd className="text-slate-700">{label}</dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}
