import { Keyboard, SlidersHorizontal } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '../ui/controls';
import { setPreference, themes, usePreferences } from './preferences';

const themeLabels = { system: 'As the system', light: 'Light', dark: 'Dark' } as const;

/**
 * Theme, sound and the shortcut help, behind one header button: a disclosure of plain form
 * controls, so Tab, arrows and Space work as everywhere. Escape, a click or focus elsewhere
 * close it.
 */
export function PreferencesMenu({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  const [open, setOpen] = useState(false);
  const { theme, sound } = usePreferences();
  const root = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (e.target instanceof Node && !root.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  return (
    <div
      ref={root}
      className="relative"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return;
        e.preventDefault();
        setOpen(false);
        root.current?.querySelector('button')?.focus();
      }}
      onBlur={(e) => {
        if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <Button
        variant="ghost"
        aria-label="Preferences"
        title="Preferences"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <SlidersHorizontal aria-hidden className="h-4 w-4" />
      </Button>
      {open ? (
        <div
          id={panelId}
          className="absolute right-0 top-full z-30 mt-2 w-60 space-y-3 rounded-md border border-slate-200 bg-white p-3 text-sm text-slate-800 shadow-lg"
        >
          <fieldset>
            <legend className="mb-1 font-medium text-slate-900">Theme</legend>
            {themes.map((t) => (
              <label key={t} className="flex items-center gap-2 py-0.5">
                <input
                  type="radio"
                  name="theme"
                  value={t}
                  checked={theme === t}
                  onChange={() => setPreference('theme', t)}
                />
                {themeLabels[t]}
              </label>
            ))}
          </fieldset>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={sound}
              onChange={(e) => setPreference('sound', e.target.checked)}
            />
            Sound for new messages
          </label>
          <Button
            variant="secondary"
            className="w-full"
            onClick={() => {
              setOpen(false);
              onShowShortcuts();
            }}
          >
            <Keyboard aria-hidden className="h-4 w-4" /> Keyboard shortcuts
          </Button>
        </div>
      ) : null}
    </div>
  );
}
