import type { Contact } from '@parley/protocol';

/**
 * Where an agent's first message to a contact reaches them, said before it is sent: in the
 * widget if they are on the site now; else in the widget when they come back, and by email too
 * when this Parley sends email and they gave an address (the unseen-reply email,
 * docs/email.md). `emailOn` undefined: not known yet, so nothing is promised of email.
 */
export function howItReaches(
  contact: Pick<Contact, 'online' | 'email'>,
  { emailOn, openChat }: { emailOn: boolean | undefined; openChat: boolean },
): string {
  const where = openChat
    ? 'It is added to their open conversation.'
    : 'It opens a conversation with you.';
  if (contact.online) return `${where} They are on the site now: it appears in their chat at once.`;
  const later = `${where} They are not on the site now: they see it in the chat when they come back`;
  if (!contact.email) return `${later}. They gave no email address, so it is not emailed.`;
  if (emailOn === true) {
    return `${later}, and it is emailed to ${contact.email} if they have not seen it soon.`;
  }
  if (emailOn === false) {
    return `${later}. Email is off on this Parley, so it is not emailed to ${contact.email}.`;
  }
  return `${later}.`;
}
