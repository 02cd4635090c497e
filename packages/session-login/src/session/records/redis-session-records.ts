import type { ChainableCommander, Result } from 'ioredis';
import { userSlotTag } from '../../storage/hash-tags.js';
import { defineScript, execute, redisOperation, type RedisClient } from '../../storage/redis-client.js';
import { slotTagOf } from '../session-ids.js';
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
    /** See `startSessionScript`. */
    startSession(
      recordKey: string,
      userSessionsKey: string,
      text: string,
      ttlMs: number,
      handle: string,
      listTtlMs: number,
    ): Result<number, Context>;
    /** See `endSessionScript`. */
    endSession(recordKey: string, userSessionsKey: string, handle: string): Result<unknown, Context>;
  }
}

/**
 * Writes a signed-in session's first record and lists it under its user, in one step. A script
 * rather than MULTI: it goes out with the other commands of its tick (auto-pipelining) instead of
 * as a transaction of its own. Both keys carry the user's slot tag, so a Cluster holds them together.
 *   KEYS[1]  the record, KEYS[2] the user's list
 *   ARGV     the record's text, its TTL (ms), its handle, the list's TTL (ms)
 * Answers how many handles the list holds now.
 */
const startSessionScript = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return redis.call('SCARD', KEYS[2])`;

/**
 * Ends a signed-in session a new one replaces: its record goes, and its handle leaves its user's list.
 *   KEYS[1]  the record, KEYS[2] its user's list
 *   ARGV[1]  its handle
 */
const endSessionScript = `
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
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

function recordKeyOf(keyPrefix: string, tag: string | undefined, handle: string): string {
  return tag === undefined ? `${keyPrefix}session:{${handle}}` : `${keyPrefix}session:{${tag}}:${handle}`;
}

/** The key of a session's record (see RedisSessionRecords for the layout). */
export function sessionRecordKey(keyPrefix: string, sessionId: string): string {
  return recordKeyOf(keyPrefix, slotTagOf(sessionId), hashSessionId(sessionId));
}

/** The key of a user's list of sessions. */
export function userSessionsKey(keyPrefix: string, userId: string): string {
  return `${keyPrefix}user-sessions:{${userSlotTag(userId)}}:${userId}`;
}

/** Writes that must survive a failover wait for replicas (Redis WAIT); a shortfall is reported, not refused. */
export interface Replication {
  replicas: number;
  timeoutMs: number;
  /** Called when fewer replicas than asked acknowledged the write in time. */
  onShortfall(acknowledged: number): void;
}

/**
 * Records in Redis as strings (see session-codec) with a TTL to match, and each user's handles in
 * a set. Every key of a signed-in user carries their slot tag (see hash-tags), so that a Cluster
 * keeps a user's sessions and their list in one slot:
 *   `<keyPrefix>session:{<tag>}:<handle>`     a signed-in session (its id carries the tag)
 *   `<keyPrefix>session:{<handle>}`           a pre-login session, in a slot of its own
 *   `<keyPrefix>user-sessions:{<tag>}:<userId>`
 */
export class RedisSessionRecords implements SessionRecords {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    /**
     * How long a user's list of sessions outlives the latest session started in it: the absolute
     * session lifetime, which no session listed in it can outlive.
     */
    private readonly userListTtlMs: number,
    private readonly replication?: Replication,
  ) {
    defineScript(redis, 'endUserSession', { numberOfKeys: 2, lua: endUserSessionScript });
    defineScript(redis, 'startSession', { numberOfKeys: 2, lua: startSessionScript });
    defineScript(redis, 'endSession', { numberOfKeys: 2, lua: endSessionScript });
  }

  key(sessionId: string): string {
    return sessionRecordKey(this.keyPrefix, sessionId);
  }

  private recordKey(tag: string | undefined, handle: string): string {
    return recordKeyOf(this.keyPrefix, tag, handle);
  }

  private userKey(userId: string): string {
    return userSessionsKey(this.keyPrefix, userId);
  }

  /**
   * Sends a write, or, when writes must survive a failover, sends it on a pipeline followed by
   * WAIT: one round trip to the node that holds its keys, answered once the replicas have it.
   * Answers the write's own answer.
   */
  private async durably(write: (client: RedisClient | ChainableCommander) => unknown): Promise<unknown> {
    if (!this.replication) return await write(this.redis);
    const { replicas, timeoutMs } = this.replication;
    const batch = this.redis.pipeline();
    write(batch);
    const results = await execute(batch.wait(replicas, timeoutMs));
    // Stryker disable next-line UnaryOperator: of the two answers, the last is also the one at 1.
    const acknowledged = Number(results.at(-1));
    if (acknowledged < replicas) this.replication.onShortfall(acknowledged);
    return results[0];
  }

  read(sessionId: string): Promise<StoredSession | undefined> {
    return redisOperation(async () => decodeSession(await this.redis.get(this.key(sessionId))));
  }

  start(sessionId: string, record: StoredSession, replaced?: ReplacedSession): Promise<number> {
    return redisOperation(async () => {
      const handle = hashSessionId(sessionId);
      if (record.user && slotTagOf(sessionId) !== userSlotTag(record.user.id)) {
        throw new Error("a signed-in session's id must carry its user's slot tag (see newSessionId)");
      }
      const ttl = timeToLive(record);
      // Nothing to keep (no application, or a deadline already past): only the replaced session ends.
      const text = ttl !== undefined ? encodeSession(record) : undefined;
      // The replaced session may live in another slot (a pre-login session, another user's), so it
      // ends by a command of its own, sent with the start in the same round trip.
      const [, listed] = await Promise.all([
        replaced && this.endReplaced(replaced),
        text !== undefined &&
          this.durably((client) => {
            const recordKey = this.recordKey(slotTagOf(sessionId), handle);
            // A pre-login session has no user, so no list: only its record.
            return record.user
              ? client.startSession(recordKey, this.userKey(record.user.id), text, ttl ?? 0, handle, this.userListTtlMs)
              : client.set(recordKey, text, 'PX', ttl ?? 0);
          }),
      ]);
      // The start's script answers the list's size; a pre-login SET answers OK, nothing sent false.
      return typeof listed === 'number' ? listed : 0;
    });
  }

  private async endReplaced({ sessionId, userId }: ReplacedSession): Promise<void> {
    const recordKey = this.key(sessionId);
    await this.durably((client) =>
      userId ? client.endSession(recordKey, this.userKey(userId), hashSessionId(sessionId)) : client.del(recordKey),
    );
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
      await this.durably((client) => client.del(this.key(sessionId)));
    });
  }

  listForUser(userId: string): Promise<SessionEntry[]> {
    return redisOperation(async () => {
      const handles = await this.redis.smembers(this.userKey(userId));
      if (handles.length === 0) return [];
      const tag = userSlotTag(userId);
      const records = (await this.redis.mget(handles.map((handle) => this.recordKey(tag, handle)))).map((text) =>
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
      const recordKey = this.recordKey(userSlotTag(userId), handle);
      return (
        Number(await this.durably((client) => client.endUserSession(this.userKey(userId), recordKey, handle))) === 1
      );
    });
  }
}
