import {
  credentials,
  twoFactorCode,
  type ErrorBody,
  type SessionList,
  type SessionSummary,
  type SessionUser,
  type SignInMethod,
} from '@native-login/session-login/schemas';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

/**
 * The backend of the SPA tests: msw answers the SPA's own `fetch` calls in the test's process, the
 * way the session layer (`@native-login/session-login`) answers them over HTTP: the same routes,
 * status codes, `{ code, message }` error bodies and `X-Session-Expires-In` / `X-Session-Ends-In`
 * headers, over an in-memory FusionAuth (accounts, a second factor) and session store. An app's
 * suite adds its own routes with `backend.route` (apps/store/web/test/support/fake-store.ts).
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

const twoFactorWindowMs = 5 * 60_000;
const maximumTwoFactorAttempts = 5;
const startAgain = 'Please enter your email address and password again.';
const thisBrowser = { ip: '203.0.113.7', userAgent: 'Firefox on Linux' };

const unauthenticated = () => failure(401, 'unauthenticated', 'Please sign in.');

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
  const accounts = [alice, bob, carol];
  const idleTimeoutMs = options.idleTimeoutMs ?? 1_800_000;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? 43_200_000;
  const sessions = new Map<string, StoredSession>();
  /** This browser's session cookie, and the pre-login session of a sign-in waiting for its second factor. */
  let cookie: string | null = null;
  let pendingTwoFactor: PendingTwoFactor | null = null;
  let sessionCount = 0;
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

  route('POST', '/api/login', 'session', ({ body }) => {
    const parsed = credentials.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const account = accounts.find(({ user }) => user.email === parsed.data.loginId.toLowerCase());
    if (!account || account.password !== parsed.data.password) {
      return failure(401, 'invalid_credentials', 'That email address and password do not match an account.');
    }
    // A browser signed in to this app (as anyone) gives that session up.
    endBrowserSession();
    if (account.twoFactorCode !== undefined) {
      pendingTwoFactor = { account, expiresAt: Date.now() + twoFactorWindowMs, failedAttempts: 0 };
      return {
        status: 202,
        body: {
          code: 'two_factor_required',
          message: 'Enter the code from your authenticator app.',
          methods: [{ id: 'authenticator-1', method: 'authenticator' }],
        },
      };
    }
    cookie = startSession(account.user, 'password', thisBrowser).id;
    return ok({ user: account.user });
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
    cookie = startSession(pending.account.user, 'password', thisBrowser).id;
    return ok({ user: pending.account.user });
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
