import { randomUUID } from 'node:crypto';
import type { Author, NewPost, Post, PostSummary, Reply, Thread } from '../schemas/posts.js';

/** A post as the repository takes it: what the author wrote, and who the author is. */
export type NewPostOf = NewPost & { author: Author };

export interface PostRepository {
  /** The newest posts first. */
  list(limit: number): Promise<PostSummary[]>;
  create(post: NewPostOf): Promise<Post>;
  find(id: string): Promise<Thread | undefined>;
  /** Undefined when there is no such post. */
  reply(postId: string, body: string, author: Author): Promise<Reply | undefined>;
}

export function newEntry(body: string, author: Author): Reply {
  return { id: randomUUID(), body, author, createdAt: new Date().toISOString() };
}
