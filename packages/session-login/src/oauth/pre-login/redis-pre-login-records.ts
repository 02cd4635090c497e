import { redisOperation, type RedisClient } from '../../storage/redis-client.js';
import {
  decodePreLogin,
  encodePreLogin,
  preLoginHandle,
  type PreLogin,
  type PreLoginRecords,
} from './pre-login-records.js';

/** Pre-login records in Redis, `<keyPrefix>oauth-login:<hash>`, expiring on their own. */
export class RedisPreLoginRecords implements PreLoginRecords {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}oauth-login:${preLoginHandle(id)}`;
  }

  save(id: string, record: PreLogin, ttlMs: number): Promise<void> {
    return redisOperation(async () => {
      await this.redis.set(this.key(id), encodePreLogin(record), 'PX', ttlMs);
    });
  }

  claim(id: string): Promise<PreLogin | undefined> {
    // GETDEL (Redis 6.2): read and delete in one command, so no two callbacks can both have it.
    return redisOperation(async () => decodePreLogin(await this.redis.getdel(this.key(id))));
  }
}
