import { execute, redisOperation } from '@native-login/session-login';
import type { Redis } from 'ioredis';
import type { Author, Post, PostSummary, Reply } from '../schemas/posts.js';
import { newEntry, type NewPostOf, type PostRepository } from './post-repository.js';

/**
 * Posts in Redis: each as JSON at `<prefix>post:<id>`, their ids in a sorted set by creation time
 * (`<prefix>posts`), and each post's replies as a list of JSON (`<prefix>post:<id>:replies`).
 */
export class RedisPostRepository implements PostRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private postKey(id: string): string {
    return `${this.keyPrefix}post:${id}`;
  }

  private repliesKey(id: string): string {
    return `${this.keyPrefix}post:${id}:replies`;
  }

  list(limit: number): Promise<PostSummary[]> {
    return redisOperation(async () => {
      const ids = await this.redis.zrevrange(`${this.keyPrefix}posts`, 0, limit - 1);
      if (ids.length === 0) return [];
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.get(this.postKey(id)).llen(this.repliesKey(id));
      const results = await execute(pipeline);
      return ids.flatMap((_id, index) => {
        const json = results[index * 2];
        if (typeof json !== 'string') return [];
        const { id, title, author, createdAt } = JSON.parse(json) as Post;
        return [{ id, title, author, createdAt, replyCount: Number(results[index * 2 + 1]) }];
      });
    });
  }

  create(post: NewPostOf): Promise<Post> {
    return redisOperation(async () => {
      const created: Post = { ...newEntry(post.body, post.author), title: post.title };
      await execute(
        this.redis
          .multi()
          .set(this.postKey(created.id), JSON.stringify(created))
          .zadd(`${this.keyPrefix}posts`, Date.parse(created.createdAt), created.id),
      );
      return created;
    });
  }

  find(id: string): Promise<{ post: Post; replies: Reply[] } | undefined> {
    return redisOperation(async () => {
      const [json, replies] = await execute(
        this.redis.pipeline().get(this.postKey(id)).lrange(this.repliesKey(id), 0, -1),
      );
      if (typeof json !== 'string') return undefined;
      return {
        post: JSON.parse(json) as Post,
        replies: (replies as string[]).map((reply) => JSON.parse(reply) as Reply),
      };
    });
  }

  reply(postId: string, body: string, author: Author): Promise<Reply | undefined> {
    return redisOperation(async () => {
      // Posts are never deleted, so a post that exists now still exists when the reply lands.
      if (!(await this.redis.exists(this.postKey(postId)))) return undefined;
      const reply = newEntry(body, author);
      await this.redis.rpush(this.repliesKey(postId), JSON.stringify(reply));
      return reply;
    });
  }
}
