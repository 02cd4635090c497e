import type { Redis, Result } from 'ioredis';
import { defineScript, redisOperation } from '../../storage/redis-client.js';
import { decodeSession, encodeSession } from '../session-codec.js';
import type { StoredSession } from '../session-data.js';
import {
  hashSessionId,
  timeToLive,
  type ReplacedSession,
  type SessionEntry,
  type SessionRecords,
} from './session-records.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See `endUserSessionScript`. */
    endUserSession(userSessionsKey: string, recordKey: string, handle: string): Result<number, Context>;
    /** See `startSessionScript`: `numberOfKeys` first, then the keys, then its arguments. */
    startSession(numberOfKeys: number, ...keysAndArguments: Array<string | number>): Result<unknown, Context>;
  }
}

/**
 * Starts a session in one step: ends the session it replaces, then writes the new record and lists
 * it under its user. A script rather than MULTI: it goes out with the other commands of its tick
 * (auto-pipelining; a sign-in's in-flight slot is given back in the same write) instead of as a
 * transaction of its own, five commands in one.
 *   ARGV[1]  the replaced session's handle, or '' when nothing is replaced
 *   ARGV[2]  '1' when the replaced session was listed under a user
 *   ARGV[3]  the new record's text, or '' when the session has nothing to keep
 *   ARGV[4]  its TTL (ms)
 *   ARGV[5]  '1' when it is listed under its user
 *   ARGV[6]  its handle, ARGV[7] the user's list's TTL (ms)
 *   KEYS     in the order they are used: the replaced record and its user's list (each when
 *            there), then the new record, and its user's list when it has a user (unused when
 *            there is nothing to keep)
 */
const startSessionScript = `
local next = 1
local function key() next = next + 1; return KEYS[next - 1] end
if ARGV[1] ~= '' then
  redis.call('DEL', key())
  if ARGV[2] == '1' then redis.call('SREM', key(), ARGV[1]) end
end
if ARGV[3] ~= '' then
  redis.call('SET', key(), ARGV[3], 'PX', ARGV[4])
  if ARGV[5] == '1' then
    local list = key()
    redis.call('SADD', list, ARGV[6])
    redis.call('PEXPIRE', list, ARGV[7])
  end
end
return 1`;

/**
 * Ends a session of a user's by its handle, only if it is listed under that user: a handle names a
 * session without letting anyone but its user end it.
 *   KEYS[1]  the user's list of sessions (a set of handles)
 *   KEYS[2]  the session's record
 *   ARGV[1]  the session's handle
 * Answers 1 when the session was the user's (and is now ended), 0 otherwise.
 */
const endUserSessionScript = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
return 1`;

/**
 * Records in Redis as strings (see session-codec) under `<keyPrefix>session:<hash>` with a TTL to
 * match, and each user's handles in the set `<keyPrefix>user-sessions:<userId>`.
 */
export class RedisSessionRecords implements SessionRecords {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /**
     * How long a user's list of sessions outlives the latest session started in it: the absolute
     * session lifetime, which no session listed in it can outlive.
     */
    private readonly userListTtlMs: number,
  ) {
    defineScript(redis, 'endUserSession', { numberOfKeys: 2, lua: endUserSessionScript });
    // The key count varies (a first sign-in replaces nothing), so it is the first argument.
    defineScript(redis, 'startSession', { lua: startSessionScript });
  }

  key(sessionId: string): string {
    return this.recordKey(hashSessionId(sessionId));
  }

  private recordKey(handle: string): string {
    return `${this.keyPrefix}session:${handle}`;
  }

  private userKey(userId: string): string {
    return `${this.keyPrefix}user-sessions:${userId}`;
  }

  read(sessionId: string): Promise<StoredSession | undefined> {
    return redisOperation(async () => decodeSession(await this.redis.get(this.key(sessionId))));
  }

  start(sessionId: string, record: StoredSession, replaced?: ReplacedSession): Promise<void> {
    return redisOperation(async () => {
      const ttl = timeToLive(record);
      // Nothing to keep (no application, or a deadline already past): the script only ends the replaced session.
      const text = (ttl !== undefined && encodeSession(record)) || '';
      const handle = hashSessionId(sessionId);
      const replacedHandle = replaced ? hashSessionId(replaced.sessionId) : '';
      const keys = [
        ...(replaced ? [this.recordKey(replacedHandle)] : []),
        ...(replaced?.userId ? [this.userKey(replaced.userId)] : []),
        this.recordKey(handle),
        ...(record.user ? [this.userKey(record.user.id)] : []),
      ];
      // One script, so one round trip: the replaced session ends as the new one begins.
      await this.redis.startSession(
        keys.length,
        ...keys,
        replacedHandle,
        // Stryker disable next-line StringLiteral: the script reads '1' as yes and anything else as no.
        replaced?.userId ? '1' : '',
        text,
        ttl ?? 0,
        // Stryker disable next-line StringLiteral: as above.
        record.user ? '1' : '',
        handle,
        this.userListTtlMs,
      );
    });
  }

  update(sessionId: string, record: StoredSession): Promise<boolean> {
    return redisOperation(async () => {
      const text = encodeSession(record);
      const ttl = timeToLive(record);
      if (text === undefined || ttl === undefined) return false;
      // XX: only over a record that is still there, never bringing an ended session back.
      return (await this.redis.set(this.key(sessionId), text, 'PX', ttl, 'XX')) === 'OK';
    });
  }

  end(sessionId: string): Promise<void> {
    return redisOperation(async () => {
      await this.redis.del(this.key(sessionId));
    });
  }

  listForUser(userId: string): Promise<SessionEntry[]> {
    return redisOperation(async () => {
      const handles = await this.redis.smembers(this.userKey(userId));
      if (handles.length === 0) return [];
      const records = (await this.redis.mget(handles.map((handle) => this.recordKey(handle)))).map((text) =>
        decodeSession(text),
      );
      const live = handles.flatMap((handle, index) => {
        const record = records[index];
        return record ? [{ handle, record }] : [];
      });
      const gone = handles.filter((_, index) => !records[index]);
      if (gone.length > 0) await this.redis.srem(this.userKey(userId), ...gone);
      return live;
    });
  }

  endForUser(userId: string, handle: string): Promise<boolean> {
    return redisOperation(async () => {
      return (await this.redis.endUserSession(this.userKey(userId), this.recordKey(handle), handle)) === 1;
    });
  }
}
