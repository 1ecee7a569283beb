import type { FileCategory } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client';
import { keys } from '../api/keys';

/** What may be sent as a file (every agent may read it; admins change it in Settings → Files). */
export function useFileSettings() {
  return useQuery({
    queryKey: keys.fileSettings,
    queryFn: () => call('getFileSettings'),
    // Changed rarely, by an admin; the server checks every upload anyway.
    staleTime: 5 * 60_000,
  });
}

/** The kinds an admin may allow, as Settings → Files describes them. */
export const fileCategories: ReadonlyArray<{
  id: FileCategory;
  label: string;
  description: string;
}> = [
  { id: 'images', label: 'Images', description: 'PNG, JPEG, GIF and WebP, shown in the chat' },
  { id: 'pdf', label: 'PDF', description: 'Documents, invoices, receipts' },
  { id: 'text', label: 'Text', description: 'Plain text and CSV; never HTML or SVG' },
  {
    id: 'office',
    label: 'Office documents',
    description: 'Word, Excel, PowerPoint, OpenDocument and RTF',
  },
  { id: 'archives', label: 'Archives', description: 'ZIP, GZIP, 7-Zip, RAR and TAR' },
];
