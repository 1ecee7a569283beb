import { Copy, Download } from 'lucide-react';
import { copyText } from '../ui/copy';
import { Button } from '../ui/controls';
import { saveFile } from '../ui/save-file';

/**
 * The ten recovery codes, shown once (only their hashes are kept): each signs in once in place
 * of a code from the app. Copy or download them, then "Done".
 */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Parley recovery codes (each works once)\n\n${codes.join('\n')}\n`;
  return (
    <div className="space-y-3" data-testid="recovery-codes">
      <p className="text-sm text-slate-800">
        Keep these recovery codes somewhere safe, away from your phone. Each one signs you in once
        if you lose your phone. They are shown only now.
      </p>
      <ul
        className="grid w-fit grid-cols-2 gap-x-8 gap-y-1 rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-sm text-slate-900"
        aria-label="Recovery codes"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={() =>
            void copyText(codes.join('\n'), {
              done: 'Recovery codes copied',
              failed: 'Copy them by hand',
            })
          }
        >
          <Copy aria-hidden className="h-4 w-4" /> Copy
        </Button>
        <Button
          variant="secondary"
          onClick={() =>
            saveFile(new Blob([text], { type: 'text/plain' }), 'parley-recovery-codes.txt')
          }
        >
          <Download aria-hidden className="h-4 w-4" /> Download
        </Button>
        <Button onClick={onDone}>I have saved them</Button>
      </div>
    </div>
  );
}
