import { ref, type Ref } from 'vue';
import { useRouter } from 'vue-router';
import { useSession } from '../session/session.js';
import { takeEmailLinkId } from './email-links.js';

export interface EmailLink {
  /** The id the link carried, taken out of the address; null when the link had none. */
  id: string | null;
  /**
   * The page shows the card that asks for a new link instead of its own: from the start when the
   * link carried no id, or once the page sets it (the link turned out too old, or used already).
   */
  asksForNewLink: Ref<boolean>;
  /** Back to the sign-in card at the app's start, without what the page said. */
  backToSignIn: () => Promise<void>;
}

/**
 * What every page an email link opens does with the link, before what the page is for: the id
 * leaves the address as the page opens (takeEmailLinkId says why), and a link without one goes
 * straight to the card that asks for a new link, which says what was wrong with it.
 */
export function useEmailLink(): EmailLink {
  const session = useSession();
  const router = useRouter();
  const id = takeEmailLinkId(router);
  const asksForNewLink = ref(id === null);
  if (id === null) session.emailLinkIncomplete();

  async function backToSignIn() {
    session.clearMessages();
    await router.replace('/');
  }

  return { id, asksForNewLink, backToSignIn };
}
