import { Upload } from 'lucide-react';
import { useState, type DragEvent, type ReactNode } from 'react';

const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

/**
 * Files dragged over `children` (the chat) show where they may be dropped. The zone covers
 * the whole area while a drag is over it, so leaving it is one dragleave, not one per child.
 */
export function FileDropZone(props: {
  disabled: boolean;
  onFiles: (files: File[]) => void;
  className?: string;
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={`relative ${props.className ?? ''}`}
      onDragEnter={(e) => {
        if (props.disabled || !carriesFiles(e)) return;
        e.preventDefault();
        setOver(true);
      }}
    >
      {props.children}
      {over ? (
        <div
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const files = [...e.dataTransfer.files];
            if (files.length > 0) props.onFiles(files);
          }}
          className="absolute inset-0 z-30 bg-slate-50/60 p-2"
        >
          <div className="pointer-events-none flex h-full flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed border-blue-600 bg-blue-50/90 text-blue-700">
            <Upload aria-hidden className="h-8 w-8" />
            <p className="text-sm font-medium">Drop files to add them to your message</p>
          </div>
        </div>
      ) : null}
    </div>
  );
}
