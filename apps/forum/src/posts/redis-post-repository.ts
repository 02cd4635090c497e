import { defineScript, execute, redisOperation, type RedisClient } from '@native-login/session-login';
import type { Result } from 'ioredis';
import type { Author, Post, PostList, Reply, ReplyList, Thread } from '../schemas/posts.js';
import { newEntry, replyPage, type NewPostOf, type PostRepository, type WholeThread } from './post-repository.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See `postPageScript`. */
    forumPostPage(postsKey: string, before: string, limit: number): Result<string[] | null, Context>;
    /** See `seedThreadScript`. */
    forumSeedThread(
      postKey: string,
      repliesKey: string,
      post: string,
      ...replies: string[]
    ): Result<string | null, Context>;
  }
}

/**
 * The ids of one page of posts, newest first, in one round trip.
 *   KEYS[1]  the posts' ids, in a sorted set by creation time
 *   ARGV[1]  the id the page before ended at, or '' for the newest posts
 *   ARGV[2]  how many the page holds
 * Answers one id more than the page holds when there is one (so another page follows), or nil when
 * ARGV[1] is not in the set. The page starts after the cursor's rank, not its score: posts written
 * in the same millisecond share a score, and the rank of the post a page ended at stays right as
 * newer posts arrive (they rank before it).
 */
const postPageScript = `
local start = 0
if ARGV[1] ~= '' then
  local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
  if not rank then return nil end
  start = rank + 1
end
return redis.call('ZREVRANGE', KEYS[1], start, start + tonumber(ARGV[2]))`;

/**
 * A whole thread, written only if its post is not there yet: two instances starting together, or
 * a restart, write it once.
 *   KEYS[1]  the post (JSON)
 *   KEYS[2]  its replies (a list of JSON)
 *   ARGV[1]  the post's JSON; ARGV[2..] its replies' JSON, oldest first
 * Answers nil when it wrote the thread, or the post that was already there, whose time the list
 * must then use.
 */
const seedThreadScript = `
local stored = redis.call('GET', KEYS[1])
if stored then return stored end
redis.call('SET', KEYS[1], ARGV[1])
if #ARGV > 1 then redis.call('RPUSH', KEYS[2], unpack(ARGV, 2)) end
return nil`;

/**
 * Posts in Redis: each as JSON at `<prefix>post:{<id>}`, their ids in a sorted set by creation
 * time (`<prefix>posts`), and each post's replies as a list of JSON (`<prefix>post:{<id>}:replies`).
 * A post and its replies share the Cluster hash tag of its id, so they are read together; the list
 * of posts is a key of its own, and nothing touches it together with a post in one command. A page
 * reads only what it shows: its ids from the sorted set, then its posts, or its range of replies.
 */
export class RedisPostRepository implements PostRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {
    defineScript(redis, 'forumPostPage', { numberOfKeys: 1, lua: postPageScript });
    defineScript(redis, 'forumSeedThread', { numberOfKeys: 2, lua: seedThreadScript });
  }

  private get postsKey(): string {
    return `${this.keyPrefix}posts`;
  }

  private postKey(id: string): string {
    return `${this.keyPrefix}post:{${id}}`;
  }

  private repliesKey(id: string): string {
    return `${this.keyPrefix}post:{${id}}:replies`;
  }

  list(limit: number, before?: string): Promise<PostList | undefined> {
    return redisOperation(async () => {
      const ids = await this.redis.forumPostPage(this.postsKey, before ?? '', limit);
      if (ids === null) return undefined;
      const shown = ids.slice(0, limit);
      // One command per key, not one pipeline: the posts live in many slots of a Cluster. Sent in
      // the same tick, they still go out together (auto-pipelining, one write per server).
      const posts = await Promise.all(
        shown.map((id) => Promise.all([this.redis.get(this.postKey(id)), this.redis.llen(this.repliesKey(id))])),
      );
      return {
        posts: posts.flatMap(([json, replyCount]) => {
          if (json === null) return [];
          const { id, title, author, createdAt } = JSON.parse(json) as Post;
          return [{ id, title, author, createdAt, replyCount }];
        }),
        ...(ids.length > limit ? { nextCursor: shown.at(-1) } : {}),
      };
    });
  }

  create(post: NewPostOf): Promise<Post> {
    return redisOperation(async () => {
      const created: Post = { ...newEntry(post.body, post.author), title: post.title };
      // The post, then the list that names it: the list never names a post that is not there (a
      // failure between the two leaves a post nobody is shown, not a listed post that is missing).
      await this.redis.set(this.postKey(created.id), JSON.stringify(created));
      await this.addToList(created);
      return created;
    });
  }

  find(id: string, replyLimit: number): Promise<Thread | undefined> {
    return redisOperation(async () => {
      const [json, replies, replyCount] = await execute(
        this.redis
          .pipeline()
          .get(this.postKey(id))
          .lrange(this.repliesKey(id), 0, replyLimit - 1)
          .llen(this.repliesKey(id)),
      );
      if (typeof json !== 'string') return undefined;
      return { post: JSON.parse(json) as Post, ...replyPage(parsedReplies(replies), 0, Number(replyCount)) };
    });
  }

  replies(postId: string, offset: number, limit: number): Promise<ReplyList | undefined> {
    return redisOperation(async () => {
      const [exists, replies, replyCount] = await execute(
        this.redis
          .pipeline()
          .exists(this.postKey(postId))
          .lrange(this.repliesKey(postId), offset, offset + limit - 1)
          .llen(this.repliesKey(postId)),
      );
      if (!exists) return undefined;
      return replyPage(parsedReplies(replies), offset, Number(replyCount));
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

  seed({ post, replies }: WholeThread): Promise<boolean> {
    return redisOperation(async () => {
      const stored = await this.redis.forumSeedThread(
        this.postKey(post.id),
        this.repliesKey(post.id),
        JSON.stringify(post),
        ...replies.map((reply) => JSON.stringify(reply)),
      );
      // Listed whether or not this instance wrote it, under the time of the post that is stored:
      // an instance that stopped between the two steps left a post nobody was shown.
      await this.addToList(stored === null ? post : (JSON.parse(stored) as Post));
      return stored === null;
    });
  }

  private async addToList(post: Post): Promise<void> {
    await this.redis.zadd(this.postsKey, Date.parse(post.createdAt), post.id);
  }
}

function parsedReplies(replies: unknown): Reply[] {
  return (replies as string[]).map((reply) => JSON.parse(reply) as Reply);
}
