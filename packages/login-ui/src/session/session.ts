import type {
  Credentials,
  CurrentSession,
  SessionUser,
  SignedIn,
  TwoFactorCode,
  TwoFactorRequired,
} from '@native-login/session-login/schemas';
import { computed, inject, reactive, readonly, type App, type InjectionKey } from 'vue';
import { ApiError, createApiClient, type ApiClient } from '../api/api-client.js';
import { messageFor } from '../api/messages.js';

export type { SessionUser };

export type SessionStatus = 'loading' | 'signed-out' | 'two-factor' | 'signed-in';

interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  /** When the session ends without activity, on this browser's clock (the server says how long is left). */
  expiresAt: number | null;
  /** When it ends however active the user is (its absolute lifetime), on this browser's clock. */
  endsAt: number | null;
  /** Signed in before and the session ended: the app stays on screen under the sign-in form. */
  interrupted: boolean;
  pending: boolean;
  error: string | null;
}

/** Messages between tabs of the same app (BroadcastChannel). */
type TabMessage = { type: 'signed-out' } | { type: 'signed-in' } | { type: 'expires'; at: number; endsAt: number };

export interface SessionOptions {
  /** `Store` or `Forum`: names the app on screen and keys the tab channel. */
  appName: string;
}

interface Waiter {
  resume: () => void;
  abandon: (reason: ApiError) => void;
}

/**
 * The SPA's session: whether someone is signed in, signing in (with a second factor when asked),
 * signing out, and keeping other tabs of the same app in step. The API client it creates sends a
 * call that finds the session gone back here: the sign-in form appears over the app, and the call
 * is retried once the *same* user is back, so nothing they were doing is lost and nothing is done
 * in someone else's name.
 */
export function createSession(options: SessionOptions) {
  const state = reactive<SessionState>({
    status: 'loading',
    user: null,
    expiresAt: null,
    endsAt: null,
    interrupted: false,
    pending: false,
    error: null,
  });
  let waiters: Waiter[] = [];
  /** Whose session ended under the app: only they may take it up again. */
  let interruptedUserId: string | null = null;
  const channel =
    typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`${options.appName}-session`);
  const tell = (message: TabMessage) => channel?.postMessage(message);

  const settleWaiters = (outcome: 'resume' | ApiError) => {
    const settled = waiters;
    waiters = [];
    for (const waiter of settled) {
      if (outcome === 'resume') waiter.resume();
      else waiter.abandon(outcome);
    }
  };

  const signedOut = (interrupted: boolean) => {
    if (interrupted && state.user) interruptedUserId = state.user.id;
    if (!interrupted) {
      interruptedUserId = null;
      settleWaiters(new ApiError(401, 'unauthenticated', 'Signed out.'));
    }
    state.status = 'signed-out';
    state.user = null;
    state.expiresAt = null;
    state.endsAt = null;
    state.interrupted = interrupted;
  };

  const api: ApiClient = createApiClient({
    onSessionLost: () =>
      new Promise<void>((resume, abandon) => {
        if (state.status === 'signed-in') signedOut(true);
        // A call that comes back after the user signed out waits for no one: whoever signs in
        // next did not make it.
        if (!state.interrupted) abandon(new ApiError(401, 'unauthenticated', 'Signed out.'));
        else waiters.push({ resume, abandon });
      }),
    onSessionExpiry: ({ idle, absolute }) => {
      const now = Date.now();
      state.expiresAt = now + idle;
      state.endsAt = now + absolute;
      tell({ type: 'expires', at: state.expiresAt, endsAt: state.endsAt });
    },
  });

  const signedIn = (user: SessionUser) => {
    // Whose work is on screen: the user whose session was interrupted, or the one still shown
    // (a tab that had not yet noticed its session end, told by another tab of a new sign-in).
    const onScreen = interruptedUserId ?? state.user?.id;
    if (onScreen !== undefined && onScreen !== user.id) {
      // Someone else signed in over another user's interrupted work: none of it may go on in their
      // name, and none of it may stay on screen. The app starts afresh.
      settleWaiters(new ApiError(401, 'account_changed', 'A different account signed in.'));
      window.location.assign('/');
      return;
    }
    interruptedUserId = null;
    state.status = 'signed-in';
    state.user = user;
    state.error = null;
    state.interrupted = false;
    settleWaiters('resume');
  };

  /**
   * A sign-in (`POST /api/login` or `/api/login/two-factor`) answered with its user: no need to ask
   * `GET /api/user` again. The API client has already taken both deadlines from the answer's
   * headers.
   */
  const signedInWith = (answer: SignedIn) => {
    signedIn(answer.user);
    // Other tabs ask the server who they now act as.
    tell({ type: 'signed-in' });
  };

  /** Asks the backend who is signed in and for how long; a signed-in answer extends the session. */
  async function refresh(): Promise<void> {
    try {
      // The deadlines come with the answer's headers (see onSessionExpiry), on the server's clock.
      const answer = await api.request<CurrentSession>('GET', '/api/user', undefined, { resumeAfterSignIn: false });
      signedIn(answer.user);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        signedOut(state.status === 'signed-in' || state.interrupted);
      } else {
        if (state.status === 'loading') signedOut(false);
        state.error = messageFor(error);
      }
    }
  }

  async function run(action: () => Promise<void>): Promise<void> {
    state.pending = true;
    state.error = null;
    try {
      await action();
    } catch (error) {
      state.error = messageFor(error);
      const attemptOver = error instanceof ApiError && ['two_factor_expired', 'too_many_codes'].includes(error.code);
      if (attemptOver && state.status === 'two-factor') state.status = 'signed-out';
    } finally {
      state.pending = false;
    }
  }

  async function signIn(loginId: string, password: string): Promise<void> {
    await run(async () => {
      // 200 with the user, or 202 when the password was right and a second factor is needed.
      const answer = await api.request<SignedIn | TwoFactorRequired>(
        'POST',
        '/api/login',
        { loginId, password } satisfies Credentials,
        { resumeAfterSignIn: false },
      );
      if ('code' in answer) {
        state.status = 'two-factor';
        return;
      }
      signedInWith(answer);
    });
  }

  async function verifyCode(code: string): Promise<void> {
    await run(async () => {
      const answer = await api.request<SignedIn>('POST', '/api/login/two-factor', { code } satisfies TwoFactorCode, {
        resumeAfterSignIn: false,
      });
      signedInWith(answer);
    });
  }

  async function signOut(): Promise<void> {
    await run(async () => {
      await api.request<void>('POST', '/api/logout', undefined, { resumeAfterSignIn: false });
      signedOut(false);
      tell({ type: 'signed-out' });
    });
  }

  channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message.type === 'signed-out') signedOut(false);
    // Another tab signed in, perhaps as someone else: ask the server who this tab now acts as.
    if (message.type === 'signed-in') void refresh();
    // Another tab's activity extended the session for this one too.
    if (message.type === 'expires' && state.status === 'signed-in') {
      state.expiresAt = message.at;
      state.endsAt = message.endsAt;
    }
  });

  const session = {
    state: readonly(state),
    api,
    appName: options.appName,
    displayName: computed(() => {
      const user = state.user;
      if (!user) return '';
      return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
    }),
    refresh,
    signIn,
    verifyCode,
    signOut,
    /** Back to the email and password, from the second-factor step. */
    restart: () => {
      state.status = 'signed-out';
      state.error = null;
    },
    /**
     * The idle deadline has passed on this tab's count. The server decides: another tab may have
     * kept the session alive, in which case it answers with the new deadline.
     */
    deadlinePassed: refresh,
    install(app: App) {
      app.provide(sessionKey, session);
    },
  };
  return session;
}

export type Session = ReturnType<typeof createSession>;

const sessionKey: InjectionKey<Session> = Symbol('session');

/** The app's session, from any component below the app (installed with `app.use(session)`). */
export function useSession(): Session {
  const session = inject(sessionKey);
  if (!session) throw new Error('useSession() needs app.use(createSession(...))');
  return session;
}
