/** One component's fields by name, as text: a draft's title and body, say. */
export type KeptFields = Record<string, string>;

/** What goes to sessionStorage when the page is left for FusionAuth's sign-in page. */
interface KeptRecord {
  /** Whose work it is: only they get it back. Null when no one's work was on screen. */
  userId: string | null;
  /** The id of the element that had the keyboard focus when the session ended. */
  focusId: string | null;
  /** Each component's fields, by the key the component chose. */
  entries: Record<string, KeptFields>;
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A stored record, checked field by field: it comes from storage, which anything on this origin may write. */
function parsed(text: string): KeptRecord | null {
  try {
    const value: unknown = JSON.parse(text);
    if (!isObject(value) || !isObject(value['entries'])) return null;
    const { userId, focusId } = value;
    const entries: Record<string, KeptFields> = {};
    for (const [key, fields] of Object.entries(value['entries'])) {
      if (!isObject(fields)) continue;
      entries[key] = Object.fromEntries(
        Object.entries(fields).filter((entry): entry is [string, string] => isText(entry[1])),
      );
    }
    return { userId: isText(userId) ? userId : null, focusId: isText(focusId) ? focusId : null, entries };
  } catch {
    return null;
  }
}

/**
 * What the user was doing, kept across a sign-in on FusionAuth's page. The embedded form signs in
 * over the app, which stays mounted, so a half-written post simply waits in memory. A sign-in on
 * FusionAuth's page leaves the SPA and loads it again, so each mounted component's fields go to
 * sessionStorage first (this tab only, gone when it closes), and come back once the *same* user
 * has signed in again. The route comes back through `returnTo`.
 */
export function createKeptState(appName: string) {
  const storageKey = `${appName}-kept-across-sign-in`;
  const snapshots = new Set<() => { key: string; fields: KeptFields }>();
  let focusId: string | null = null;
  const removeStored = () => {
    try {
      sessionStorage.removeItem(storageKey);
    } catch {
      // Unavailable storage holds nothing.
    }
  };

  /** Read once and removed at once: a later reload must not bring back what was already restored. */
  let kept: KeptRecord | null = null;
  try {
    const text = sessionStorage.getItem(storageKey);
    if (text !== null) kept = parsed(text);
    removeStored();
  } catch {
    // Storage is unavailable (disabled, or a privacy mode): nothing was kept.
  }
  // Back (the history button) from the way to FusionAuth, to this very page out of the browser's
  // cache: what was saved is still on screen, and must not come back later over newer work.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) removeStored();
  });
  /** Whether this page load is the way back from FusionAuth's page (the link was followed in this tab). */
  let cameBack = kept !== null;
  /** Set once the user who signed in is the one the kept work belongs to. */
  let claimed = false;

  return {
    /**
     * A mounted component says how to read its fields; the returned function forgets it. The key
     * is read again when the page is left (a post view's key names the post it shows now).
     */
    register(snapshot: () => { key: string; fields: KeptFields }): () => void {
      snapshots.add(snapshot);
      return () => snapshots.delete(snapshot);
    },

    /** The element that had the focus when the session ended, to focus it again after the way back. */
    noteFocus(id: string | null) {
      focusId = id;
    },

    /**
     * Called just before the browser follows the link to FusionAuth. What was kept earlier and
     * not yet taken back (the way back ended in an error, say) is kept again.
     */
    save(userId: string | null) {
      // No one's session ended on screen (the card has shown since the page loaded): what is kept
      // goes on as it is. Otherwise the one whose session ended keeps their own, and adds to it.
      const carried = kept !== null && (userId === null || kept.userId === userId) ? kept : null;
      const record: KeptRecord = {
        userId: userId ?? carried?.userId ?? null,
        focusId: userId === null ? (carried?.focusId ?? null) : focusId,
        entries: { ...carried?.entries },
      };
      for (const snapshot of snapshots) {
        const { key, fields } = snapshot();
        record.entries[key] = fields;
      }
      try {
        sessionStorage.setItem(storageKey, JSON.stringify(record));
      } catch {
        // Storage is full or unavailable: the sign-in still works, only the draft is not kept.
      }
    },

    /**
     * Someone signed in. If they are the one whose work was kept, it can be taken back; anyone
     * else never sees it. Answers whether this page load came back from FusionAuth's page, once.
     */
    signedIn(userId: string): boolean {
      if (kept !== null && !claimed) {
        if (kept.userId === userId) claimed = true;
        else kept = null;
      }
      const back = cameBack;
      cameBack = false;
      return back;
    },

    /** A component's kept fields, handed over once, to the user they belong to. */
    take(key: string): KeptFields | undefined {
      if (!claimed || !kept) return undefined;
      const fields = kept.entries[key];
      delete kept.entries[key];
      return fields;
    },

    /** The id of the element to focus again, handed over once, when the element is on screen. */
    takeFocus(): HTMLElement | null {
      const id = claimed ? kept?.focusId : null;
      const element = id ? document.getElementById(id) : null;
      if (element && kept) kept.focusId = null;
      return element;
    },

    /** The user signed out: nothing they were doing may outlive that, on screen or in storage. */
    forget() {
      kept = null;
      claimed = false;
      focusId = null;
      removeStored();
    },
  };
}

export type KeptState = ReturnType<typeof createKeptState>;
