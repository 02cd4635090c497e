import type { SignInMethod } from '../schemas/session.js';
import type { StoredSession } from './session-data.js';

/**
 * How a session record is written to the store. Every guarded request reads one, and Redis keeps
 * one per signed-in browser, so the text is small: a JSON array in a fixed order rather than an
 * object (no field names), with the two deadlines as offsets from the start. A signed-in session
 * fits in well under 256 bytes, Redis's allocation step that keeps a key under 400 bytes in all.
 * The first element says which shape follows (a signed-in session, a pending second factor, a
 * pending password change), so a reader can tell them apart and a record of an unknown shape (an
 * older or newer format) is treated as absent, never misread.
 */
const pendingSecondFactorShape = 2;
const pendingPasswordChangeShape = 5;

/**
 * A signed-in record's tag also says how the user signed in, which costs no byte: 1, the tag of
 * every signed-in record before the method was recorded, is the embedded form's password.
 */
const signedInShapes: Record<SignInMethod, number> = { password: 1, fusionauth: 3, single_sign_on: 4 };
const signInMethodOfShape = new Map(
  Object.entries(signedInShapes).map(([method, shape]) => [shape, method as SignInMethod]),
);

type SignedInTuple = [
  /** One of signedInShapes. */
  shape: number,
  applicationId: string,
  userId: string,
  email: string,
  firstName: string | null,
  lastName: string | null,
  roles: string[],
  createdAt: number,
  idleDeadlineOffset: number,
  absoluteDeadlineOffset: number,
  refreshTokenId: string | null,
  ip: string,
  device: string,
];

type PendingTuple = [
  shape: typeof pendingSecondFactorShape,
  applicationId: string,
  twoFactorId: string,
  loginId: string,
  expiresAt: number,
  failedAttempts: number,
];

type PendingPasswordChangeTuple = [
  shape: typeof pendingPasswordChangeShape,
  applicationId: string,
  changePasswordId: string,
  loginId: string,
  expiresAt: number,
];

/** The record as text; undefined for a session with nothing worth keeping. */
export function encodeSession(session: StoredSession): string | undefined {
  const { applicationId, user, twoFactor, passwordChange } = session;
  if (applicationId === undefined) return undefined;
  if (user) {
    const createdAt = session.createdAt ?? 0;
    const tuple: SignedInTuple = [
      signedInShapes[session.signedInWith ?? 'password'],
      applicationId,
      user.id,
      user.email,
      user.firstName ?? null,
      user.lastName ?? null,
      user.roles,
      createdAt,
      (session.idleExpiresAt ?? 0) - createdAt,
      (session.absoluteExpiresAt ?? 0) - createdAt,
      session.refreshTokenId ?? null,
      session.device?.ip ?? '',
      session.device?.description ?? '',
    ];
    return JSON.stringify(tuple);
  }
  if (twoFactor) {
    const { twoFactorId, loginId, expiresAt, failedAttempts } = twoFactor;
    const tuple: PendingTuple = [
      pendingSecondFactorShape,
      applicationId,
      twoFactorId,
      loginId,
      expiresAt,
      failedAttempts,
    ];
    return JSON.stringify(tuple);
  }
  if (passwordChange) {
    const { changePasswordId, loginId, expiresAt } = passwordChange;
    const tuple: PendingPasswordChangeTuple = [
      pendingPasswordChangeShape,
      applicationId,
      changePasswordId,
      loginId,
      expiresAt,
    ];
    return JSON.stringify(tuple);
  }
  return undefined;
}

function parseTuple(text: string): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record back from its text, or undefined for text of no known shape. The store holds only
 * what `encodeSession` wrote, so the shape tag and length are checked, not each field's type.
 */
export function decodeSession(text: string | null | undefined): StoredSession | undefined {
  const tuple = text ? parseTuple(text) : undefined;
  const signedInWith = signInMethodOfShape.get(tuple?.[0] as number);
  if (tuple && signedInWith && tuple.length === 13) {
    const [
      ,
      applicationId,
      id,
      email,
      firstName,
      lastName,
      roles,
      createdAt,
      idle,
      absolute,
      refreshTokenId,
      ip,
      device,
    ] = tuple as SignedInTuple;
    return {
      applicationId,
      user: {
        id,
        email,
        ...(firstName !== null && { firstName }),
        ...(lastName !== null && { lastName }),
        roles,
      },
      createdAt,
      idleExpiresAt: createdAt + idle,
      absoluteExpiresAt: createdAt + absolute,
      ...(refreshTokenId !== null && { refreshTokenId }),
      signedInWith,
      device: { ip, description: device },
    };
  }
  // Pending sign-ins of an earlier release (seven elements, with the methods) last five minutes:
  // they read as absent, and the user enters the password again.
  if (tuple?.[0] === pendingSecondFactorShape && tuple.length === 6) {
    const [, applicationId, twoFactorId, loginId, expiresAt, failedAttempts] = tuple as PendingTuple;
    return { applicationId, twoFactor: { twoFactorId, loginId, expiresAt, failedAttempts } };
  }
  if (tuple?.[0] === pendingPasswordChangeShape && tuple.length === 5) {
    const [, applicationId, changePasswordId, loginId, expiresAt] = tuple as PendingPasswordChangeTuple;
    return { applicationId, passwordChange: { changePasswordId, loginId, expiresAt } };
  }
  return undefined;
}
