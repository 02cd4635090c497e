import type {
  CheckEmail,
  Credentials,
  CurrentSession,
  EmailRequest,
  EmailVerification,
  EmailVerified,
  LoginFlowList,
  LoginFlowName,
  LogoutRedirect,
  NewPassword,
  PasswordReset,
  SessionUser,
  SignedIn,
  SignInContinues,
  SignUp,
  TwoFactorCode,
} from '@native-login/session-login/schemas';
import { defineStore } from 'pinia';
import { computed, inject, markRaw, ref, type App, type InjectionKey, type Plugin } from 'vue';
import { ApiError, createApiClient, type ApiClient } from '../api/api-client.js';
import { messageFor } from '../api/messages.js';
import { createKeptState } from './kept-state.js';
import { oauthLoginErrorMessage } from './oauth-login-error.js';

export type { SessionUser };

/**
 * `two-factor` and `password-change` are sign-ins half-way: the password was right, and the backend
 * asks for a second factor, or for a new password (FusionAuth's 203), before the session starts.
 */
export type SessionStatus = 'loading' | 'signed-out' | 'two-factor' | 'password-change' | 'signed-in';

/** A field of the sign-in cards, by the name the API gives it (`body.email` in a validation failure). */
export type CardField = 'email' | 'password' | 'firstName' | 'lastName';
const cardFields: readonly string[] = ['email', 'password', 'firstName', 'lastName'] satisfies CardField[];

/** Answers that end a sign-in half-way: the card goes back to the email and password, with the message. */
const attemptOverCodes: readonly string[] = [
  'two_factor_expired',
  'too_many_codes',
  'password_change_expired',
  'password_change_not_possible',
  // FusionAuth's refusals after a right password (a second factor, a new password): the sign-in
  // card says why, and offers the way on (joining this app, a new verification email).
  'not_registered',
  'email_not_verified',
  'registration_not_verified',
];

/**
 * How this app lets people sign in (`GET /api/login-flows`): `native` is the embedded form,
 * `oauth` the link to FusionAuth's sign-in page.
 */
export type LoginFlow = LoginFlowName;
const knownFlows: readonly string[] = ['native', 'oauth'] satisfies LoginFlow[];
/** What a backend that does not answer `GET /api/login-flows` offers: the embedded form, as before. */
const defaultFlows: LoginFlow[] = ['native'];

/** Messages between tabs of the same app (BroadcastChannel). */
type TabMessage = { type: 'signed-out' } | { type: 'signed-in' } | { type: 'expires'; at: number; endsAt: number };

export interface SessionOptions {
  /** `Store` or `Forum`: names the app on screen and keys the tab channel. */
  appName: string;
}

const sessionOptionsKey: InjectionKey<SessionOptions> = Symbol('session options');

/**
 * The app's session settings, for the session store to read when it is first used:
 * `createApp(App).use(createPinia()).use(sessionOptions({ appName: 'Store' }))`.
 */
export function sessionOptions(options: SessionOptions): Plugin {
  return { install: (app: App) => app.provide(sessionOptionsKey, options) };
}

interface Waiter {
  resume: () => void;
  abandon: (reason: ApiError) => void;
}

/**
 * The SPA's session, a Pinia store (`useSession()`): whether someone is signed in, signing in (with a
 * second factor or a new password when asked), the sign-in card's ways forward (a new account, a
 * forgotten password, an email address to verify, an account of another app to join), signing out,
 * and keeping other tabs of the same app in step. The API client it creates sends a call that finds
 * the session gone back here: the sign-in form appears over the app, and the call is retried once
 * the *same* user is back, so nothing they were doing is lost and nothing is done in someone else's
 * name.
 */
export const useSession = defineStore('session', () => {
  const options = inject(sessionOptionsKey);
  if (!options) throw new Error('useSession() needs app.use(sessionOptions({ appName }))');
  const status = ref<SessionStatus>('loading');
  const user = ref<SessionUser | null>(null);
  /** When the session ends without activity, on this browser's clock (the server says how long is left). */
  const expiresAt = ref<number | null>(null);
  /** When it ends however active the user is (its absolute lifetime), on this browser's clock. */
  const endsAt = ref<number | null>(null);
  /** Signed in before and the session ended: the app stays on screen under the sign-in form. */
  const interrupted = ref(false);
  /** The ways to sign in the sign-in card offers, in the backend's order. */
  const flows = ref<LoginFlow[]>(defaultFlows);
  const pending = ref(false);
  /** What went wrong, for the whole card (its alert). */
  const error = ref<string | null>(null);
  /** The API's code for `error` (`invalid_credentials`, `link_expired`...): what the card offers next. */
  const errorCode = ref<string | null>(null);
  /** What went wrong with one field, shown at that field rather than in the card's alert. */
  const fieldErrors = ref<Partial<Record<CardField, string>>>({});
  /** What the card says went well (an email is on its way, an address is verified): a status, not an alert. */
  const notice = ref<string | null>(null);
  const kept = createKeptState(options.appName);
  let waiters: Waiter[] = [];
  /** Whose session ended under the app: only they may take it up again. */
  let interruptedUserId: string | null = null;
  const channel =
    typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`${options.appName}-session`);
  const tell = (message: TabMessage) => channel?.postMessage(message);

  const clearMessages = () => {
    error.value = null;
    errorCode.value = null;
    fieldErrors.value = {};
    notice.value = null;
  };

  const showError = (failure: unknown) => {
    error.value = messageFor(failure);
    errorCode.value = failure instanceof ApiError ? failure.code : null;
  };

  const settleWaiters = (outcome: 'resume' | ApiError) => {
    const settled = waiters;
    waiters = [];
    for (const waiter of settled) {
      if (outcome === 'resume') waiter.resume();
      else waiter.abandon(outcome);
    }
  };

  const signedOut = (underTheApp: boolean) => {
    if (underTheApp && user.value) interruptedUserId = user.value.id;
    if (!underTheApp) {
      interruptedUserId = null;
      settleWaiters(new ApiError(401, 'unauthenticated', 'Signed out.'));
    }
    status.value = 'signed-out';
    user.value = null;
    expiresAt.value = null;
    endsAt.value = null;
    interrupted.value = underTheApp;
  };

  /** The user signed out, in this tab or another: nothing they were doing may outlive that. */
  const signedOutByUser = () => {
    signedOut(false);
    kept.forget();
  };

  const api: ApiClient = createApiClient({
    onSessionLost: () =>
      new Promise<void>((resume, abandon) => {
        if (status.value === 'signed-in') signedOut(true);
        // A call that comes back after the user signed out waits for no one: whoever signs in
        // next did not make it.
        if (!interrupted.value) abandon(new ApiError(401, 'unauthenticated', 'Signed out.'));
        else waiters.push({ resume, abandon });
      }),
    onSessionExpiry: ({ idle, absolute }) => {
      const now = Date.now();
      expiresAt.value = now + idle;
      endsAt.value = now + absolute;
      tell({ type: 'expires', at: expiresAt.value, endsAt: endsAt.value });
    },
  });

  /**
   * Someone is signed in. Answers whether this page load is the way back from FusionAuth's sign-in
   * page (then other tabs have not heard of it yet).
   */
  const signedIn = (who: SessionUser): boolean => {
    // Whose work is on screen: the user whose session was interrupted, or the one still shown
    // (a tab that had not yet noticed its session end, told by another tab of a new sign-in).
    const onScreen = interruptedUserId ?? user.value?.id;
    if (onScreen !== undefined && onScreen !== who.id) {
      // Someone else signed in over another user's interrupted work: none of it may go on in their
      // name, and none of it may stay on screen. The app starts afresh.
      settleWaiters(new ApiError(401, 'account_changed', 'A different account signed in.'));
      window.location.assign('/');
      return false;
    }
    // Before the app shows again: its components take back what was kept for this user only.
    const cameBack = kept.signedIn(who.id);
    interruptedUserId = null;
    status.value = 'signed-in';
    user.value = who;
    clearMessages();
    interrupted.value = false;
    settleWaiters('resume');
    return cameBack;
  };

  /**
   * A sign-in (the password, the second factor, a new password, a reset) answered with its user: no
   * need to ask `GET /api/user` again. The API client has already taken both deadlines from the
   * answer's headers.
   */
  const signedInWith = (answer: SignedIn) => {
    signedIn(answer.user);
    // Other tabs ask the server who they now act as.
    tell({ type: 'signed-in' });
  };

  /** A sign-in step answered: signed in (200), or one more step first (202), which its `code` names. */
  const signedInOrContinues = (answer: SignedIn | SignInContinues) => {
    if (!('code' in answer)) signedInWith(answer);
    else status.value = answer.code === 'two_factor_required' ? 'two-factor' : 'password-change';
  };

  /**
   * The sign-in cards' calls. A 401 is one of their answers (a wrong password, a step that took too
   * long), not a session lost under the app: nothing waits for a sign-in to send them again.
   */
  const cardCall = <T>(path: string, body: unknown) => api.request<T>('POST', path, body, { resumeAfterSignIn: false });

  let flowsLoaded: Promise<void> | null = null;
  /**
   * Asks the backend once how it lets people sign in. One that does not say gets the embedded
   * form: for good if it has no such route (404, a backend from before it), until the next refresh
   * if it did not answer.
   */
  function loadFlows(): Promise<void> {
    flowsLoaded ??= api
      .request<LoginFlowList>('GET', '/api/login-flows', undefined, { resumeAfterSignIn: false })
      .then(({ flows: answered }: { flows: unknown }) => {
        // Checked, not trusted: a proxy may answer, and a newer backend may offer a flow unknown here.
        const offered = Array.isArray(answered)
          ? answered.filter((flow: unknown): flow is LoginFlow => typeof flow === 'string' && knownFlows.includes(flow))
          : [];
        flows.value = offered.length > 0 ? offered : defaultFlows;
      })
      .catch((error: unknown) => {
        if (!(error instanceof ApiError && error.status === 404)) flowsLoaded = null;
        flows.value = defaultFlows;
      });
    return flowsLoaded;
  }

  /** Asks the backend who is signed in and for how long; a signed-in answer extends the session. */
  async function refresh(): Promise<void> {
    // Asked alongside, and awaited before any sign-in card shows, so the card does not change under the user.
    const flowsKnown = loadFlows();
    try {
      // The deadlines come with the answer's headers (see onSessionExpiry), on the server's clock.
      const answer = await api.request<CurrentSession>('GET', '/api/user', undefined, { resumeAfterSignIn: false });
      // Back from FusionAuth's page: other tabs of the app ask the server who they now act as.
      if (signedIn(answer.user)) tell({ type: 'signed-in' });
    } catch (failure) {
      await flowsKnown;
      if (failure instanceof ApiError && failure.status === 401) {
        signedOut(status.value === 'signed-in' || interrupted.value);
      } else {
        if (status.value === 'loading') signedOut(false);
        showError(failure);
      }
    }
  }

  /**
   * One call of a card: pending meanwhile, and what went wrong said where it belongs, at the field
   * it is about when the card has that field (`fields`), for the whole card otherwise. Answers
   * whether the call succeeded.
   */
  async function run(action: () => Promise<void>, fields: readonly CardField[] = []): Promise<boolean> {
    pending.value = true;
    clearMessages();
    try {
      await action();
      return true;
    } catch (failure) {
      const field = fieldOf(failure);
      if (field !== null && fields.includes(field)) fieldErrors.value = { [field]: messageFor(failure) };
      else showError(failure);
      const attemptOver = failure instanceof ApiError && attemptOverCodes.includes(failure.code);
      if (attemptOver && (status.value === 'two-factor' || status.value === 'password-change')) {
        status.value = 'signed-out';
      }
      return false;
    } finally {
      pending.value = false;
    }
  }

  async function signIn(loginId: string, password: string): Promise<void> {
    // 200 with the user, or 202 when the password was right and another step is needed.
    await run(async () =>
      signedInOrContinues(
        await cardCall<SignedIn | SignInContinues>('/api/login', { loginId, password } satisfies Credentials),
      ),
    );
  }

  /**
   * An account of the tenant made for another app (the sign-in's 403 `not_registered`) joins this
   * one with its password, asked for again: then signed in, or on to the step FusionAuth asks for
   * first, as after the sign-in itself.
   */
  function joinApp(loginId: string, password: string): Promise<boolean> {
    return run(async () =>
      signedInOrContinues(
        await cardCall<SignedIn | SignInContinues>('/api/login/join', { loginId, password } satisfies Credentials),
      ),
    );
  }

  async function verifyCode(code: string): Promise<void> {
    // 202 when FusionAuth also requires a new password before the sign-in completes.
    await run(async () =>
      signedInOrContinues(
        await cardCall<SignedIn | SignInContinues>('/api/login/two-factor', { code } satisfies TwoFactorCode),
      ),
    );
  }

  /** The new password a sign-in waits for (status `password-change`); then signed in. */
  function changeRequiredPassword(password: string): Promise<boolean> {
    return run(async () => {
      const body = { password } satisfies NewPassword;
      signedInOrContinues(await cardCall<SignedIn | SignInContinues>('/api/login/change-password', body));
    }, ['password']);
  }

  /**
   * A new account. Its owner signs in once they have opened the link emailed to them; the answer is
   * the same when the address has an account already, so that nobody learns who has one.
   */
  function signUp(account: SignUp): Promise<boolean> {
    return run(async () => {
      // An empty name is no name: FusionAuth would keep it as an empty string.
      const body = {
        email: account.email,
        password: account.password,
        firstName: account.firstName?.trim() || undefined,
        lastName: account.lastName?.trim() || undefined,
      } satisfies SignUp;
      notice.value = (await cardCall<CheckEmail>('/api/sign-up', body)).message;
    }, ['email', 'password', 'firstName', 'lastName']);
  }

  /** Emails a link to choose a new password: the same answer whether or not the address has an account. */
  function requestPasswordReset(email: string): Promise<boolean> {
    return run(async () => {
      notice.value = (await cardCall<CheckEmail>('/api/password/forgot', { email } satisfies EmailRequest)).message;
    }, ['email']);
  }

  /** The new password, with the id of the reset email's link; then signed in, or on to the second factor. */
  function resetPassword(changePasswordId: string, password: string): Promise<boolean> {
    return run(async () => {
      const body = { changePasswordId, password } satisfies PasswordReset;
      signedInOrContinues(await cardCall<SignedIn | SignInContinues>('/api/password/reset', body));
    }, ['password']);
  }

  /** Verifies the address whose email's link holds `verificationId`: the sign-in card then says so. */
  function verifyEmail(verificationId: string): Promise<boolean> {
    return run(async () => {
      const body = { verificationId } satisfies EmailVerification;
      notice.value = (await cardCall<EmailVerified>('/api/email/verify', body)).message;
    });
  }

  /** Emails a new verification link: the same answer whether or not the address has an account. */
  function resendVerification(email: string): Promise<boolean> {
    return run(async () => {
      const body = { email } satisfies EmailRequest;
      notice.value = (await cardCall<CheckEmail>('/api/email/resend-verification', body)).message;
    }, ['email']);
  }

  async function signOut(): Promise<void> {
    await run(async () => {
      // 204, or 200 with FusionAuth's logout address when its single sign-on session must end too.
      const answer = await api.request<LogoutRedirect | undefined>('POST', '/api/logout', undefined, {
        resumeAfterSignIn: false,
      });
      signedOutByUser();
      tell({ type: 'signed-out' });
      const logoutUrl = webAddress(answer?.logoutUrl);
      // A top-level visit, not a fetch: FusionAuth's logout page ends its SSO session (its cookie is
      // on its own host), signs this browser out of every app through their logout URLs, then
      // sends it back here.
      if (logoutUrl) window.location.assign(logoutUrl);
    });
  }

  channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message.type === 'signed-out') signedOutByUser();
    // Another tab signed in, perhaps as someone else: ask the server who this tab now acts as.
    if (message.type === 'signed-in') void refresh();
    // Another tab's activity extended the session for this one too. Messages may arrive after
    // this tab's own newer answer: only a later deadline counts.
    if (message.type === 'expires' && status.value === 'signed-in' && message.at > (expiresAt.value ?? 0)) {
      expiresAt.value = message.at;
      endsAt.value = message.endsAt;
    }
  });

  return {
    status,
    user,
    expiresAt,
    endsAt,
    interrupted,
    flows,
    pending,
    error,
    errorCode,
    fieldErrors,
    notice,
    // Not state: the client and the kept work are services, which the store must not make reactive.
    api: markRaw(api),
    appName: options.appName,
    displayName: computed(() => {
      const who = user.value;
      if (!who) return '';
      return [who.firstName, who.lastName].filter(Boolean).join(' ') || who.email;
    }),
    refresh,
    signIn,
    joinApp,
    verifyCode,
    changeRequiredPassword,
    signUp,
    requestPasswordReset,
    resetPassword,
    verifyEmail,
    resendVerification,
    signOut,
    /**
     * The user follows the link to FusionAuth's sign-in page, which leaves the SPA: what is on
     * screen is kept for them first, if it is anyone's (the session ended under it).
     */
    leavingToSignIn: () => kept.save(interrupted.value ? interruptedUserId : null),
    /** A sign-in on FusionAuth's page came back with `login_error`: the card says why, in plain words. */
    oauthLoginFailed: (code: string) => {
      clearMessages();
      error.value = oauthLoginErrorMessage(code, options.appName);
    },
    /** A page opened from an email's link found no id in it (cut short when copied, say): the card says so. */
    emailLinkIncomplete: () => {
      clearMessages();
      error.value = 'This link is incomplete. Open it again from the email, or ask for a new one below.';
      errorCode.value = 'link_incomplete';
    },
    /** Another card is shown: what the last one said is not about it. */
    clearMessages,
    /** What components keep across a sign-in on FusionAuth's page (see useKeptAcrossSignIn). */
    kept: markRaw(kept),
    /** Back to the email and password, from the second-factor or the new-password step. */
    restart: () => {
      status.value = 'signed-out';
      clearMessages();
    },
    /**
     * The idle deadline has passed on this tab's count. The server decides: another tab may have
     * kept the session alive, in which case it answers with the new deadline.
     */
    deadlinePassed: refresh,
  };
});

export type Session = ReturnType<typeof useSession>;

/** The field an answer refuses: `password_rejected` is the new password's; `validation_failed` names its own. */
function fieldOf(failure: unknown): CardField | null {
  if (!(failure instanceof ApiError)) return null;
  if (failure.code === 'password_rejected') return 'password';
  const field = failure.code === 'validation_failed' ? /^body\.(\w+): /.exec(failure.message)?.[1] : undefined;
  return field !== undefined && cardFields.includes(field) ? (field as CardField) : null;
}

/** An http(s) address, or nothing: whatever else an answer holds is not somewhere to send the browser. */
function webAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
