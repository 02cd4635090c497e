import { useKeptAcrossSignIn, useSession } from '@native-login/login-ui';
import { toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';

type DraftFields = Record<string, string>;

function readStorage(key: string): DraftFields | undefined {
  try {
    const text = sessionStorage.getItem(key);
    if (text === null) return undefined;
    // Checked field by field: anything on this origin may write to storage.
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return undefined;
  }
}

function writeStorage(key: string, fields: DraftFields | undefined): void {
  try {
    if (fields) sessionStorage.setItem(key, JSON.stringify(fields));
    else sessionStorage.removeItem(key);
  } catch {
    // Storage is full or unavailable: the draft lives on screen only, as it did before.
  }
}

/** Takes out of this tab's storage the drafts under `prefix`, but those of `keptUserId`. */
function forgetDrafts(prefix: string, keptUserId?: string): void {
  try {
    const others = Array.from({ length: sessionStorage.length }, (_, index) => sessionStorage.key(index)).filter(
      (key): key is string =>
        key !== null &&
        key.startsWith(prefix) &&
        (keptUserId === undefined || !key.startsWith(`${prefix}${keptUserId}:`)),
    );
    for (const key of others) sessionStorage.removeItem(key);
  } catch {
    // Unavailable storage holds nothing.
  }
}

const draftPrefix = (appName: string) => `${appName}-draft:`;

/**
 * Drafts outlive a sign-out elsewhere (another tab, a session ended on the server), but not the
 * user's own "Sign out" in this tab: whoever uses the browser next must not find them in its
 * storage. Called once, by the app.
 */
export function forgetDraftsOnSignOut(): void {
  const session = useSession();
  session.$onAction(({ name, after }) => {
    if (name !== 'signOut') return;
    after(() => {
      if (session.status === 'signed-out') forgetDrafts(draftPrefix(session.appName));
    });
  }, true);
}

/**
 * A form's text, kept in this tab's sessionStorage under the signed-in user's id while it is
 * written: a reload, or a sign-out in another tab (the app then shows the sign-in form instead of
 * the form), loses nothing, and the same user, signed in again, finds it where they left it.
 * Nobody else does.
 *
 * A sign-in on FusionAuth's page is useKeptAcrossSignIn's: it brings back the fields and the focus
 * as they were when the page was left, so the stored draft, no newer, is not put back over them.
 *
 * `key` names the draft; a getter may change (a post view that shows another post): the fields
 * then hold that key's draft. `clear()` forgets it, once it is published.
 */
export function useDraft(key: MaybeRefOrGetter<string>, fields: Record<string, Ref<string>>) {
  const session = useSession();
  const { restored: restoredAfterSignIn } = useKeptAcrossSignIn(key, fields);
  const prefix = draftPrefix(session.appName);
  const userId = session.user?.id;
  const storageKey = (name: string) => (userId === undefined ? undefined : `${prefix}${userId}:${name}`);
  // Never shown to anybody else: another user's drafts leave this tab's storage.
  if (userId !== undefined) forgetDrafts(prefix, userId);

  /** Puts a stored draft into the fields (empty ones when there is none); answers whether there was one. */
  const restore = (name: string): boolean => {
    const location = storageKey(name);
    const stored = location === undefined ? undefined : readStorage(location);
    for (const [field, value] of Object.entries(fields)) value.value = stored?.[field] ?? '';
    return stored !== undefined;
  };

  const restoredDraft = !restoredAfterSignIn && restore(toValue(key));
  watch(
    () => toValue(key),
    (name) => restore(name),
  );
  watch(
    () => Object.values(fields).map((field) => field.value),
    () => {
      const location = storageKey(toValue(key));
      if (location === undefined) return;
      const values = Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, value.value]));
      // Nothing written is nothing to keep.
      writeStorage(location, Object.values(values).some((value) => value.trim() !== '') ? values : undefined);
    },
  );

  return {
    /** The fields came back after a sign-in on FusionAuth's page: what the user sent did not arrive. */
    restoredAfterSignIn,
    /** The fields came back from the stored draft (a reload, a sign-out elsewhere). */
    restoredDraft,
    /** Forgets a draft: the one on screen, or the one `name` names (a reply sent before the view moved on). */
    clear: (name: string = toValue(key)) => {
      const location = storageKey(name);
      if (location !== undefined) writeStorage(location, undefined);
    },
  };
}
