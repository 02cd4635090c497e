import { randomUUID } from 'node:crypto';
import { redisOperation } from '@native-login/session-login';
import type { Redis } from 'ioredis';
import type { Author, NewPost, Post, PostSummary, Reply } from './post.js';

export interface PostRepository {
  /** The newest posts first. */
  list(limit: number): Promise<PostSummary[]>;
  create(post: NewPost): Promise<Post>;
  find(id: string): Promise<{ post: Post; replies: Reply[] } | undefined>;
  /** Undefined when there is no such post. */
  reply(postId: string, body: string, author: Author): Promise<Reply | undefined>;
}

/**
 * The results of a pipeline or transaction, or an error if any command failed: ioredis reports
 * per-command failures inside the results instead of rejecting.
 */
async function resultsOf(batch: { exec(): Promise<Array<[Error | null, unknown]> | null> }): Promise<unknown[]> {
  const results = await batch.exec();
  if (!results) throw new Error('the transaction was aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function newEntry(body: string, author: Author): Reply {
  return { id: randomUUID(), body, author, createdAt: new Date().toISOString() };
}

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
      const results = await resultsOf(pipeline);
      return ids.flatMap((_id, index) => {
        const json = results[index * 2];
        if (typeof json !== 'string') return [];
        const { id, title, author, createdAt } = JSON.parse(json) as Post;
        return [{ id, title, author, createdAt, replyCount: Number(results[index * 2 + 1]) }];
      });
    });
  }

  create(post: NewPost): Promise<Post> {
    return redisOperation(async () => {
      const created: Post = { ...newEntry(post.body, post.author), title: post.title };
      await resultsOf(
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
      const [json, replies] = await resultsOf(
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

/** The embedded store's posts, for development without Redis. */
export class MemoryPostRepository implements PostRepository {
  private readonly posts = new Map<string, { post: Post; replies: Reply[] }>();

  async list(limit: number): Promise<PostSummary[]> {
    return [...this.posts.values()]
      .reverse()
      .slice(0, limit)
      .map(({ post: { id, title, author, createdAt }, replies }) => ({
        id,
        title,
        author,
        createdAt,
        replyCount: replies.length,
      }));
  }

  async create(post: NewPost): Promise<Post> {
    const created: Post = { ...newEntry(post.body, post.author), title: post.title };
    this.posts.set(created.id, { post: created, replies: [] });
    return created;
  }

  async find(id: string): Promise<{ post: Post; replies: Reply[] } | undefined> {
    const thread = this.posts.get(id);
    return thread && { post: thread.post, replies: [...thread.replies] };
  }

  async reply(postId: string, body: string, author: Author): Promise<Reply | undefined> {
    const thread = this.posts.get(postId);
    if (!thread) return undefined;
    const reply = newEntry(body, author);
    thread.replies.push(reply);
    return reply;
  }
}
