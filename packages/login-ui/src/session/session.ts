import { computed, inject, reactive, readonly, type App, type InjectionKey } from 'vue';
import { ApiError, createApiClient, type ApiClient } from '../api/api-client.js';
import { messageFor } from '../api/messages.js';

export interface SessionUser {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  roles: string[];
}

export type SessionStatus = 'loading' | 'signed-out' | 'two-factor' | 'signed-in';

interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  /** When the idle timeout ends the session, as the backend last said. */
  expiresAt: Date | null;
  /** Signed in before and the session ended: the app stays on screen under the sign-in form. */
  interrupted: boolean;
  pending: boolean;
  error: string | null;
}

/** Messages between tabs of the same app (BroadcastChannel). */
type TabMessage = { type: 'signed-out' } | { type: 'signed-in' };

export interface SessionOptions {
  /** `Store` or `Forum`: names the app in messages and keys the tab channel. */
  appName: string;
}

/**
 * The SPA's session: whether someone is signed in, signing in (with a second factor when asked),
 * signing out, and keeping other tabs of the same app in step. The API client it creates sends a
 * call that finds the session gone back here: the sign-in form appears over the app, and the call
 * is retried once the user is back, so nothing they were doing is lost.
 */
export function createSession(options: SessionOptions) {
  const state = reactive<SessionState>({
    status: 'loading',
    user: null,
    expiresAt: null,
    interrupted: false,
    pending: false,
    error: null,
  });
  let resumeWaiters: Array<() => void> = [];
  const channel =
    typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`${options.appName}-session`);

  const signedOut = (interrupted: boolean) => {
    state.status = 'signed-out';
    state.user = null;
    state.expiresAt = null;
    state.interrupted = interrupted;
  };

  const api: ApiClient = createApiClient({
    onSessionLost: () =>
      new Promise<void>((resolve) => {
        if (state.status === 'signed-in') signedOut(true);
        resumeWaiters.push(resolve);
      }),
    onSessionExpiry: (expiresAt) => {
      state.expiresAt = expiresAt;
    },
  });

  const signedIn = (user: SessionUser) => {
    state.status = 'signed-in';
    state.user = user;
    state.error = null;
    state.interrupted = false;
    const waiters = resumeWaiters;
    resumeWaiters = [];
    for (const resume of waiters) resume();
  };

  async function run(action: () => Promise<void>): Promise<void> {
    state.pending = true;
    state.error = null;
    try {
      await action();
    } catch (error) {
      state.error = messageFor(error, options.appName);
      if (error instanceof ApiError && (error.code === 'two_factor_expired' || error.code === 'too_many_attempts')) {
        if (state.status === 'two-factor') state.status = 'signed-out';
      }
    } finally {
      state.pending = false;
    }
  }

  /** Asks the backend who is signed in (and so extends the session if it is due). */
  async function refresh(): Promise<void> {
    try {
      const answer = await api.request<{ user: SessionUser; session: { expiresAt: string } }>(
        'GET',
        '/api/user',
        undefined,
        {
          resumeAfterSignIn: false,
        },
      );
      state.expiresAt = new Date(answer.session.expiresAt);
      signedIn(answer.user);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401)
        signedOut(state.status === 'signed-in' || state.interrupted);
      else {
        if (state.status === 'loading') signedOut(false);
        state.error = messageFor(error, options.appName);
      }
    }
  }

  async function signIn(loginId: string, password: string): Promise<void> {
    await run(async () => {
      const answer = await api.request<{ user?: SessionUser; code?: string }>(
        'POST',
        '/api/login',
        { loginId, password },
        { resumeAfterSignIn: false },
      );
      if (answer.code === 'two_factor_required') {
        state.status = 'two-factor';
        return;
      }
      if (answer.user) {
        signedIn(answer.user);
        await refresh();
        channel?.postMessage({ type: 'signed-in' } satisfies TabMessage);
      }
    });
  }

  async function verifyCode(code: string): Promise<void> {
    await run(async () => {
      const answer = await api.request<{ user: SessionUser }>(
        'POST',
        '/api/login/two-factor',
        { code },
        { resumeAfterSignIn: false },
      );
      signedIn(answer.user);
      await refresh();
      channel?.postMessage({ type: 'signed-in' } satisfies TabMessage);
    });
  }

  async function signOut(): Promise<void> {
    await run(async () => {
      await api.request<void>('POST', '/api/logout', undefined, { resumeAfterSignIn: false });
      signedOut(false);
      channel?.postMessage({ type: 'signed-out' } satisfies TabMessage);
    });
  }

  /** Back to the email and password, from the second-factor step. */
  function restart(): void {
    state.status = 'signed-out';
    state.error = null;
  }

  channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
    if (event.data.type === 'signed-out') signedOut(false);
    if (event.data.type === 'signed-in' && state.status !== 'signed-in') void refresh();
  });

  const session = {
    state: readonly(state),
    api,
    displayName: computed(() => {
      const user = state.user;
      if (!user) return '';
      return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
    }),
    appName: options.appName,
    start: refresh,
    refresh,
    signIn,
    verifyCode,
    signOut,
    restart,
    /** Called when the idle deadline passes with nothing done: the backend has ended the session. */
    expire: () => {
      if (state.status === 'signed-in') signedOut(true);
    },
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
