import { randomUUID } from 'node:crypto';
import type { Author, NewPost, Post, PostList, Reply, ReplyList, Thread } from '../schemas/posts.js';

/** A post as the repository takes it: what the author wrote, and who the author is. */
export type NewPostOf = NewPost & { author: Author };

/** A post and all its replies, oldest first, written as they are (the demo content). */
export interface WholeThread {
  post: Post;
  replies: Reply[];
}

export interface PostRepository {
  /**
   * One page of posts, the newest first: `limit` of them, older than the post `before` when given.
   * Undefined when `before` is no listed post's id.
   */
  list(limit: number, before?: string): Promise<PostList | undefined>;
  create(post: NewPostOf): Promise<Post>;
  /** A post with its first `replyLimit` replies; undefined when there is no such post. */
  find(id: string, replyLimit: number): Promise<Thread | undefined>;
  /** Up to `limit` replies of a post, oldest first, from the `offset`th on; undefined when there is no such post. */
  replies(postId: string, offset: number, limit: number): Promise<ReplyList | undefined>;
  /** Undefined when there is no such post. */
  reply(postId: string, body: string, author: Author): Promise<Reply | undefined>;
  /** Writes a whole thread unless a post with its id is there already; answers whether it wrote it. */
  seed(thread: WholeThread): Promise<boolean>;
}

export function newEntry(body: string, author: Author): Reply {
  return { id: randomUUID(), body, author, createdAt: new Date().toISOString() };
}

/**
 * A page of replies read from `offset`, and where the next one starts. Replies are only ever
 * added at the end, so an offset names the same place however many arrive after it.
 */
export function replyPage(replies: Reply[], offset: number, replyCount: number): ReplyList {
  const end = offset + replies.length;
  return { replies, replyCount, ...(end < replyCount ? { nextCursor: String(end) } : {}) };
}
