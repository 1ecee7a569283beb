import { visitorLabel } from '../conversations/visitor-label';

/**
 * The name of a contact's export as it is saved: "contact-nora-smith-2026-05-04.zip". Letters
 * and digits of their label only (a name may hold anything), or their short id.
 */
export function exportFileName(
  contact: { id: string; name: string | null; email: string | null },
  today: Date,
): string {
  const slug = visitorLabel(contact)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const day = today.toISOString().slice(0, 10);
  return `contact-${slug || contact.id.slice(0, 8)}-${day}.zip`;
}
