import {
  credentials,
  emailRequest,
  emailVerification,
  newPassword,
  passwordReset,
  signUp,
  twoFactorCode,
  type CheckEmail,
  type EmailVerified,
  type ErrorBody,
  type SessionList,
  type SessionSummary,
  type SessionUser,
  type SignInContinues,
  type SignInMethod,
} from '@native-login/session-login/schemas';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

/**
 * The backend of the SPA tests: msw answers the SPA's own `fetch` calls in the test's process, the
 * way the session layer (`@native-login/session-login`) answers them over HTTP: the same routes,
 * status codes, `{ code, message }` error bodies and `X-Session-Expires-In` / `X-Session-Ends-In`
 * headers, over an in-memory FusionAuth (accounts, a second factor, required password changes,
 * email verification, accounts another app of the tenant made, the tenant's password rules), session
 * store and mailbox. An app's suite adds
 * its own routes with `backend.route` (apps/store/web/test/support/fake-store.ts).
 *
 * It stands in for the real backend where the tap suites cannot reach: a browser page. What it
 * does not do, on purpose: FusionAuth's hosted pages (`/api/oauth/*`), rate limits, cookies.
 */
export const server = setupServer();

/** An account of the fake FusionAuth. */
export interface Account {
  user: SessionUser;
  password: string;
  /** The code the account's authenticator app shows now; an account without one signs in with its password alone. */
  twoFactorCode?: string;
  /** FusionAuth requires a new password before the next sign-in completes (its 203). */
  mustChangePassword?: boolean;
  /** False for an address not verified yet: FusionAuth refuses to sign it in (its 212). */
  emailVerified?: boolean;
  /** False for an account another app of the tenant made: FusionAuth's login answers that it is not this app's (its 202). */
  registered?: boolean;
}

export const alice: Account = {
  user: { id: 'user-alice', email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell', roles: ['customer'] },
  password: 'correct horse battery staple',
};
export const bob: Account = {
  user: { id: 'user-bob', email: 'bob@example.com', firstName: 'Bob', roles: ['customer'] },
  password: 'hunter2 hunter2',
};
/** Signs in with a second factor. */
export const carol: Account = {
  user: { id: 'user-carol', email: 'carol@example.com', roles: ['customer'] },
  password: 'tr0ub4dor&3',
  twoFactorCode: '123456',
};

/** Whose password must be changed before the sign-in completes. */
export const dave: Account = {
  user: { id: 'user-dave', email: 'dave@example.com', firstName: 'Dave', roles: ['customer'] },
  password: 'temporary password 1',
  mustChangePassword: true,
};
/** Signed up, and has not opened the verification email yet. */
export const erin: Account = {
  user: { id: 'user-erin', email: 'erin@example.com', firstName: 'Erin', roles: ['customer'] },
  password: 'erin password 1',
  emailVerified: false,
};
/** Signs in with a second factor, then must change the password. */
export const frank: Account = {
  user: { id: 'user-frank', email: 'frank@example.com', roles: ['customer'] },
  password: 'frank password 1',
  twoFactorCode: '246810',
  mustChangePassword: true,
};

/**
 * Signed up on another app of the tenant (the Forum, say), not registered for this one: no roles
 * here until the account joins (`POST /api/login/join`).
 */
export const grace: Account = {
  user: { id: 'user-grace', email: 'grace@example.com', firstName: 'Grace', roles: [] },
  password: 'grace password 1',
  registered: false,
};

/** An email the fake FusionAuth sent, with the link in it. */
export interface SentEmail {
  to: string;
  /** The page its link opens. */
  page: '/reset-password' | '/verify-email';
  /** The id in its link: a `changePasswordId` or a `verificationId`. */
  id: string;
  /** The link, relative to the app: `/reset-password#id=…`. */
  link: string;
}

/** What a route answers: a status and, but for a 204, a JSON body. */
export interface Answer {
  status: number;
  body?: unknown;
}
export const ok = (body: unknown): Answer => ({ status: 200, body });
export const noContent: Answer = { status: 204 };
export const failure = (status: number, code: string, message: string): Answer => ({
  status,
  body: { code, message } satisfies ErrorBody,
});

/** A request as it reached the backend, for a test to check what the SPA sent. */
export interface ReceivedRequest {
  method: Method;
  /** The path and query: `/api/sessions?offset=2`. */
  path: string;
  body: unknown;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Call {
  request: Request;
  url: URL;
  params: Record<string, string>;
  body: unknown;
}

export interface SignedInCall extends Call {
  user: SessionUser;
}

/**
 * Where a route is registered in the real backend: outside the session layer (`public`: no
 * session headers), inside it (`session`: the headers when a session is live), or behind its guard
 * (`guarded`: 401 `unauthenticated` without a session).
 */
type Scope = 'public' | 'session' | 'guarded';

/** A request held on its way to the backend, as a slow network would: it is answered once released. */
export interface Hold {
  /** Resolves when the request has arrived (and is waiting). */
  reached: Promise<void>;
  release: () => void;
}

export interface FakeBackendOptions {
  /** The app's display name (DISPLAY_NAME), which the backend's messages name: `Store` unless given. */
  appName?: string;
  /** `GET /api/login-flows`: the flows it answers, or `no-such-route` for a backend from before the route (404). */
  flows?: readonly string[] | 'no-such-route';
  /** SESSION_IDLE_TIMEOUT_SECONDS and SESSION_ABSOLUTE_TIMEOUT_SECONDS, in milliseconds (the backend's defaults). */
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  /** Answered by `POST /api/logout` for a session FusionAuth signed in: its logout page, which ends the SSO session. */
  logoutUrl?: string;
  /** How many sessions a page of `GET /api/sessions` holds when the SPA does not say (the backend's default is 50). */
  sessionPageSize?: number;
}

interface StoredSession {
  id: string;
  user: SessionUser;
  signedInWith: SignInMethod;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  ip: string;
  userAgent: string;
}

interface PendingTwoFactor {
  account: Account;
  expiresAt: number;
  failedAttempts: number;
}

interface PendingPasswordChange {
  account: Account;
  expiresAt: number;
}

const twoFactorWindowMs = 5 * 60_000;
const passwordChangeWindowMs = 5 * 60_000;
const maximumTwoFactorAttempts = 5;
const startAgain = 'Please enter your email address and password again.';
const thisBrowser = { ip: '203.0.113.7', userAgent: 'Firefox on Linux' };

const unauthenticated = () => failure(401, 'unauthenticated', 'Please sign in.');
const linkExpired = () =>
  failure(400, 'link_expired', 'This link has expired or has been used already. Ask for a new one below.');
const checkEmail = (message: string): Answer => ({
  status: 202,
  body: { code: 'check_email', message } satisfies CheckEmail,
});
const continues = (body: SignInContinues): Answer => ({ status: 202, body });

/**
 * The fake tenant's password rules, in FusionAuth's order, each in the sentence the backend makes of
 * FusionAuth's code for it (`[tooShort]` with the limit its message states, `[requireNumber]`).
 */
const passwordRules: { broken: (password: string) => boolean; sentence: string }[] = [
  { broken: (password) => password.length < 8, sentence: 'Use at least 8 characters.' },
  { broken: (password) => !/\d/.test(password), sentence: 'Add a digit.' },
];

/** The backend's refusal of a new password that breaks the rules: every problem, in one message. */
function passwordRejected(password: string): Answer | null {
  const problems = passwordRules.filter(({ broken }) => broken(password)).map(({ sentence }) => sentence);
  return problems.length === 0 ? null : failure(400, 'password_rejected', problems.join(' '));
}

/** The backend's answer to a request its schema refuses: the first issue, named by where it is (`body.loginId`). */
export function validationFailure(
  part: 'body' | 'params',
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Answer {
  const [issue] = issues;
  const where = [part, ...(issue?.path ?? []).map(String)].join('.');
  return failure(400, 'validation_failed', `${where}: ${issue?.message ?? 'invalid value'}`);
}

/**
 * Answers for one browser (one cookie jar) and every other device of its users. Call it in each
 * test (its routes are dropped after each test, see setup.ts), with the state the test needs.
 */
export function fakeBackend(options: FakeBackendOptions = {}) {
  // Copies: a password changed or an address verified stays in this test's backend.
  const accounts: Account[] = [alice, bob, carol, dave, erin, frank, grace].map((account) => ({ ...account }));
  const appName = options.appName ?? 'Store';
  const idleTimeoutMs = options.idleTimeoutMs ?? 1_800_000;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? 43_200_000;
  const sessions = new Map<string, StoredSession>();
  /** This browser's session cookie, and the pre-login session of a sign-in waiting for its second factor. */
  let cookie: string | null = null;
  let pendingTwoFactor: PendingTwoFactor | null = null;
  /** The pre-login session of a sign-in waiting for its new password (FusionAuth's `changePasswordId` stays in it). */
  let pendingPasswordChange: PendingPasswordChange | null = null;
  let sessionCount = 0;
  const emails: SentEmail[] = [];
  /** The ids in the emails' links, and whose they are: each works once. */
  const links = new Map<string, { page: SentEmail['page']; account: Account }>();
  const requests: ReceivedRequest[] = [];
  const holds: { method: Method; path: string; reached: () => void; released: Promise<void> }[] = [];
  const nextAnswers: { method: Method; path: string; answer: Answer | 'network-error' }[] = [];

  const startSession = (
    user: SessionUser,
    signedInWith: SignInMethod,
    device: { ip: string; userAgent: string },
  ): StoredSession => {
    const now = Date.now();
    sessionCount += 1;
    const session: StoredSession = {
      id: `session-${sessionCount}`,
      user,
      signedInWith,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: now + idleTimeoutMs,
      absoluteExpiresAt: now + absoluteTimeoutMs,
      ...device,
    };
    sessions.set(session.id, session);
    return session;
  };

  const expiresAt = (session: StoredSession) => Math.min(session.idleExpiresAt, session.absoluteExpiresAt);

  /** The session of that id, if it has neither timed out nor ended. */
  const live = (id: string | null): StoredSession | null => {
    const session = id === null ? undefined : sessions.get(id);
    if (!session) return null;
    if (Date.now() >= expiresAt(session)) {
      sessions.delete(session.id);
      return null;
    }
    return session;
  };

  const endBrowserSession = () => {
    if (cookie !== null) sessions.delete(cookie);
    cookie = null;
    pendingTwoFactor = null;
    pendingPasswordChange = null;
  };

  const accountOf = (email: string) => accounts.find(({ user }) => user.email === email.toLowerCase());

  const sendEmail = (account: Account, page: SentEmail['page']) => {
    const id = `${page.slice(1)}-${emails.length + 1}`;
    links.set(id, { page, account });
    emails.push({ to: account.user.email, page, id, link: `${page}#id=${id}` });
  };

  /** The account a link's id is for, once: FusionAuth forgets an id as it is used. */
  const redeemLink = (id: string, page: SentEmail['page']): Account | null => {
    const link = links.get(id);
    if (link?.page !== page) return null;
    links.delete(id);
    return link.account;
  };

  /** The second factor is done, or there is none: a session, unless FusionAuth requires a new password first. */
  const completeSignIn = (account: Account): Answer => {
    if (account.mustChangePassword) {
      pendingPasswordChange = { account, expiresAt: Date.now() + passwordChangeWindowMs };
      return continues({
        code: 'password_change_required',
        message: 'Your password has to be changed. Please choose a new one.',
      });
    }
    cookie = startSession(account.user, 'password', thisBrowser).id;
    return ok({ user: account.user });
  };

  /** The password was right: the sign-in, or the step FusionAuth asks for first. */
  const signInWithPassword = (account: Account): Answer => {
    if (account.registered === false) {
      return failure(403, 'not_registered', `Your account exists, but it is not registered for the ${appName}.`);
    }
    if (account.emailVerified === false) {
      return failure(
        403,
        'email_not_verified',
        'Please verify your email address first: look for the message we sent you.',
      );
    }
    // A browser signed in to this app (as anyone) gives that session up.
    endBrowserSession();
    if (account.twoFactorCode !== undefined) {
      pendingTwoFactor = { account, expiresAt: Date.now() + twoFactorWindowMs, failedAttempts: 0 };
      return continues({
        code: 'two_factor_required',
        message: 'Enter the code from your authenticator app.',
        methods: [{ id: 'authenticator-1', method: 'authenticator' }],
      });
    }
    return completeSignIn(account);
  };

  /** Every answer of the session layer while a session is live says how long it has left. */
  const sessionHeaders = (): Record<string, string> => {
    const session = live(cookie);
    if (!session) return {};
    const now = Date.now();
    return {
      'x-session-expires-in': String(Math.max(0, expiresAt(session) - now)),
      'x-session-ends-in': String(Math.max(0, session.absoluteExpiresAt - now)),
    };
  };

  async function arrived(method: Method, path: string): Promise<void> {
    const index = holds.findIndex((hold) => hold.method === method && hold.path === path);
    if (index === -1) return;
    const [hold] = holds.splice(index, 1);
    hold?.reached();
    await hold?.released;
  }

  function route(method: Method, path: string, scope: 'guarded', answer: (call: SignedInCall) => Answer): void;
  function route(method: Method, path: string, scope: 'public' | 'session', answer: (call: Call) => Answer): void;
  function route(method: Method, path: string, scope: Scope, answer: (call: SignedInCall) => Answer): void {
    const verb = method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    server.use(
      http[verb](path, async ({ request, params }) => {
        const url = new URL(request.url);
        const body: unknown = request.headers.get('content-type')?.includes('application/json')
          ? await request.json()
          : undefined;
        requests.push({ method, path: `${url.pathname}${url.search}`, body });
        await arrived(method, url.pathname);
        const next = nextAnswers.findIndex((entry) => entry.method === method && entry.path === url.pathname);
        const [override] = next === -1 ? [] : nextAnswers.splice(next, 1);
        if (override?.answer === 'network-error') return HttpResponse.error();
        if (override) {
          const { status, body: answered } = override.answer;
          return HttpResponse.json(answered as Record<string, unknown>, { status });
        }
        const call: Call = {
          request,
          url,
          body,
          params: Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)])),
        };
        let result: Answer;
        // The order of the backend's hooks: CSRF refusal, then the guard, then the route.
        if (method !== 'GET' && request.headers.get('x-csrf') !== '1') {
          result = failure(403, 'csrf_rejected', 'The request was refused: the X-CSRF header is missing.');
        } else if (scope === 'guarded') {
          const session = live(cookie);
          if (session) {
            // Sliding expiry: the request is activity.
            session.lastSeenAt = Date.now();
            session.idleExpiresAt = Date.now() + idleTimeoutMs;
          }
          result = session ? answer({ ...call, user: session.user }) : unauthenticated();
        } else {
          result = answer(call as SignedInCall);
        }
        const headers = scope === 'public' ? {} : sessionHeaders();
        return result.status === 204
          ? new HttpResponse(null, { status: 204, headers })
          : HttpResponse.json(result.body as Record<string, unknown>, { status: result.status, headers });
      }),
    );
  }

  // The session layer's routes (packages/session-login/src/routes and login-flows).
  route('GET', '/api/login-flows', 'public', () => {
    const flows = options.flows ?? ['native'];
    return flows === 'no-such-route'
      ? failure(404, 'not_found', 'No route for GET /api/login-flows.')
      : ok({ flows: [...flows] });
  });

  route('GET', '/api/user', 'guarded', ({ user }) => {
    const session = live(cookie) as StoredSession;
    return ok({
      user,
      session: {
        expiresAt: new Date(expiresAt(session)).toISOString(),
        absoluteExpiresAt: new Date(session.absoluteExpiresAt).toISOString(),
      },
    });
  });

  /** The account whose email address and password a request holds, or the answer that refuses them. */
  const accountWithPassword = (body: unknown): Account | Answer => {
    const parsed = credentials.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const account = accountOf(parsed.data.loginId);
    if (!account || account.password !== parsed.data.password) {
      return failure(401, 'invalid_credentials', 'That email address and password do not match an account.');
    }
    return account;
  };

  route('POST', '/api/login', 'session', ({ body }) => {
    const account = accountWithPassword(body);
    return 'status' in account ? account : signInWithPassword(account);
  });

  // The password is checked first, as FusionAuth's login does: only its owner joins the account to this app.
  route('POST', '/api/login/join', 'session', ({ body }) => {
    const account = accountWithPassword(body);
    if ('status' in account) return account;
    // Registered with the role this app gives everyone (as at sign-up); an account of this app already just signs in.
    if (account.registered === false) {
      Object.assign(account, { registered: true, user: { ...account.user, roles: ['customer'] } });
    }
    return signInWithPassword(account);
  });

  route('POST', '/api/login/two-factor', 'session', ({ body }) => {
    const parsed = twoFactorCode.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const pending = pendingTwoFactor;
    if (!pending || Date.now() >= pending.expiresAt) {
      pendingTwoFactor = null;
      return failure(401, 'two_factor_expired', `That sign-in took too long. ${startAgain}`);
    }
    if (parsed.data.code !== pending.account.twoFactorCode) {
      pending.failedAttempts += 1;
      if (pending.failedAttempts < maximumTwoFactorAttempts) {
        return failure(401, 'invalid_code', 'That code is not right. Check your authenticator app and try again.');
      }
      pendingTwoFactor = null;
      return failure(401, 'too_many_codes', `Too many wrong codes. ${startAgain}`);
    }
    pendingTwoFactor = null;
    return completeSignIn(pending.account);
  });

  route('POST', '/api/login/change-password', 'session', ({ body }) => {
    const parsed = newPassword.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const pending = pendingPasswordChange;
    if (!pending || Date.now() >= pending.expiresAt) {
      pendingPasswordChange = null;
      return failure(401, 'password_change_expired', 'That took too long. Please sign in again.');
    }
    const rejected = passwordRejected(parsed.data.password);
    if (rejected) return rejected;
    pendingPasswordChange = null;
    Object.assign(pending.account, { password: parsed.data.password, mustChangePassword: false });
    return completeSignIn(pending.account);
  });

  route('POST', '/api/sign-up', 'public', ({ body }) => {
    const parsed = signUp.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const { email, password, firstName, lastName } = parsed.data;
    const sent = checkEmail(`We have sent a link to ${email}. Open it to finish creating your account.`);
    // The address has an account: the same answer, and no email, so that nobody learns who has one.
    if (accountOf(email)) return sent;
    const rejected = passwordRejected(password);
    if (rejected) return rejected;
    const account: Account = {
      user: {
        id: `user-${accounts.length + 1}`,
        email: email.toLowerCase(),
        ...(firstName ? { firstName } : {}),
        ...(lastName ? { lastName } : {}),
        roles: ['customer'],
      },
      password,
      emailVerified: false,
    };
    accounts.push(account);
    sendEmail(account, '/verify-email');
    return sent;
  });

  route('POST', '/api/password/forgot', 'public', ({ body }) => {
    const parsed = emailRequest.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const account = accountOf(parsed.data.email);
    if (account) sendEmail(account, '/reset-password');
    return checkEmail(`If an account uses ${parsed.data.email}, we have sent it a link to choose a new password.`);
  });

  route('POST', '/api/password/reset', 'session', ({ body }) => {
    const parsed = passwordReset.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const rejected = passwordRejected(parsed.data.password);
    if (rejected) return rejected;
    const account = redeemLink(parsed.data.changePasswordId, '/reset-password');
    if (!account) return linkExpired();
    Object.assign(account, { password: parsed.data.password, mustChangePassword: false });
    return signInWithPassword(account);
  });

  route('POST', '/api/email/verify', 'public', ({ body }) => {
    const parsed = emailVerification.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const account = redeemLink(parsed.data.verificationId, '/verify-email');
    if (!account) return linkExpired();
    account.emailVerified = true;
    return ok({
      code: 'email_verified',
      message: 'Your email address is verified. You can sign in now.',
    } satisfies EmailVerified);
  });

  route('POST', '/api/email/resend-verification', 'public', ({ body }) => {
    const parsed = emailRequest.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const account = accountOf(parsed.data.email);
    if (account?.emailVerified === false) sendEmail(account, '/verify-email');
    return checkEmail(`If ${parsed.data.email} is waiting to be verified, we have sent a new link to it.`);
  });

  route('POST', '/api/logout', 'session', () => {
    const session = live(cookie);
    endBrowserSession();
    // A session FusionAuth signed in (or none at all): its single sign-on session must end too.
    if (options.logoutUrl !== undefined && session?.signedInWith !== 'password') {
      return ok({ logoutUrl: options.logoutUrl });
    }
    return noContent;
  });

  const listedSessions = (user: SessionUser): SessionSummary[] =>
    [...sessions.values()]
      .filter((session) => session.user.id === user.id && live(session.id))
      .map((session) => ({
        id: session.id,
        createdAt: new Date(session.createdAt).toISOString(),
        lastSeenAt: new Date(session.lastSeenAt).toISOString(),
        ip: session.ip,
        userAgent: session.userAgent,
        current: session.id === cookie,
        signedInWith: session.signedInWith,
      }))
      .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));

  route('GET', '/api/sessions', 'guarded', ({ user, url }) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? options.sessionPageSize ?? 50);
    const listed = listedSessions(user);
    const next = offset + limit;
    return ok({
      sessions: listed.slice(offset, next),
      total: listed.length,
      ...(next < listed.length ? { nextOffset: next } : {}),
    } satisfies SessionList);
  });

  route('DELETE', '/api/sessions/:id', 'guarded', ({ user, params }) => {
    const target = live(params['id'] ?? null);
    if (!target || target.user.id !== user.id) {
      return failure(404, 'session_not_found', 'That session does not exist or has already ended.');
    }
    if (target.id === cookie) endBrowserSession();
    else sessions.delete(target.id);
    return noContent;
  });

  route('DELETE', '/api/sessions', 'guarded', ({ user }) => {
    for (const session of sessions.values()) {
      if (session.user.id === user.id && session.id !== cookie) sessions.delete(session.id);
    }
    return noContent;
  });

  return {
    route,

    /** This browser already holds a session (signed in on an earlier visit, or on FusionAuth's page). */
    signIn(account: Account, signedInWith: SignInMethod = 'password'): void {
      endBrowserSession();
      cookie = startSession(account.user, signedInWith, thisBrowser).id;
    },

    /** This browser's session ends on the server: it timed out, or was signed out from another device. */
    endSession(): void {
      endBrowserSession();
    },

    /** Who this browser's session belongs to now, if anyone's. */
    get signedInAs(): SessionUser | null {
      return live(cookie)?.user ?? null;
    },

    /** Another device signs in as `account`; answers the session's id. */
    addDevice(account: Account, device: { userAgent: string; ip: string }, signedInWith: SignInMethod = 'password') {
      return startSession(account.user, signedInWith, device).id;
    },

    /** A device's session is used now: it moves up the list, which is ordered by last activity. */
    touchDevice(id: string): void {
      const session = live(id);
      if (session) session.lastSeenAt = Date.now();
    },

    /** A device signs itself out (or times out), unknown to this browser. */
    signOutDevice(id: string): void {
      sessions.delete(id);
    },

    /** Whether a device's session is still live. */
    isLive(id: string): boolean {
      return live(id) !== null;
    },

    /** Every request that reached the backend, in order. */
    requests,

    /** Every email the fake FusionAuth sent, in order. */
    emails,

    /** The last email sent to `address`; a test that expects one fails without it. */
    lastEmailTo(address: string): SentEmail {
      const email = emails.findLast(({ to }) => to === address.toLowerCase());
      if (!email) throw new Error(`No email was sent to ${address}.`);
      return email;
    },

    /** The requests to one route, by method and path (without the query). */
    callsTo(method: Method, path: string): ReceivedRequest[] {
      return requests.filter((request) => request.method === method && request.path.split('?')[0] === path);
    },

    /**
     * The next request to `method path` (without the query) gets this answer instead, as from a
     * failing backend or a proxy in front of it, or no answer at all (`network-error`).
     */
    answerNext(method: Method, path: string, answer: Answer | 'network-error'): void {
      nextAnswers.push({ method, path, answer });
    },

    /** Holds the next request to `method path` (without the query) until the test releases it. */
    hold(method: Method, path: string): Hold {
      let reached!: () => void;
      let release!: () => void;
      const hold: Hold = {
        reached: new Promise<void>((resolve) => (reached = resolve)),
        release: () => release(),
      };
      holds.push({ method, path, reached, released: new Promise<void>((resolve) => (release = resolve)) });
      return hold;
    },
  };
}

export type FakeBackend = ReturnType<typeof fakeBackend>;
