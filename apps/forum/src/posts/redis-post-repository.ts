import { execute, redisOperation, type RedisClient } from '@native-login/session-login';
import type { Author, Post, PostSummary, Reply } from '../schemas/posts.js';
import { newEntry, type NewPostOf, type PostRepository } from './post-repository.js';

/**
 * Posts in Redis: each as JSON at `<prefix>post:{<id>}`, their ids in a sorted set by creation
 * time (`<prefix>posts`), and each post's replies as a list of JSON (`<prefix>post:{<id>}:replies`).
 * A post and its replies share the Cluster hash tag of its id, so they are read together; the list
 * of posts is a key of its own, and nothing touches it together with a post in one command.
 */
export class RedisPostRepository implements PostRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  private postKey(id: string): string {
    return `${this.keyPrefix}post:{${id}}`;
  }

  private repliesKey(id: string): string {
    return `${this.keyPrefix}post:{${id}}:replies`;
  }

  list(limit: number): Promise<PostSummary[]> {
    return redisOperation(async () => {
      const ids = await this.redis.zrevrange(`${this.keyPrefix}posts`, 0, limit - 1);
      if (ids.length === 0) return [];
      // One command per key, not one pipeline: the posts live in many slots of a Cluster. Sent in
      // the same tick, they still go out together (auto-pipelining, one write per server).
      const posts = await Promise.all(
        ids.map((id) => Promise.all([this.redis.get(this.postKey(id)), this.redis.llen(this.repliesKey(id))])),
      );
      return posts.flatMap(([json, replyCount]) => {
        if (json === null) return [];
        const { id, title, author, createdAt } = JSON.parse(json) as Post;
        return [{ id, title, author, createdAt, replyCount }];
      });
    });
  }

  create(post: NewPostOf): Promise<Post> {
    return redisOperation(async () => {
      const created: Post = { ...newEntry(post.body, post.author), title: post.title };
      // The post, then the list that names it: the list never names a post that is not there (a
      // failure between the two leaves a post nobody is shown, not a listed post that is missing).
      await this.redis.set(this.postKey(created.id), JSON.stringify(created));
      await this.redis.zadd(`${this.keyPrefix}posts`, Date.parse(created.createdAt), created.id);
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
