import { useParams } from 'react-router';
import { ContactDetails } from './ContactDetails';
import { ContactList } from './ContactList';

/** Contacts: the list at `/contacts`, one person at `/contacts/:id`. */
export default function ContactsPage() {
  const { id } = useParams();
  return id ? <ContactDetails key={id} id={id} /> : <ContactList />;
}
