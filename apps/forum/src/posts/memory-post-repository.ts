import type { Author, Post, PostList, Reply, ReplyList, Thread } from '../schemas/posts.js';
import { newEntry, replyPage, type NewPostOf, type PostRepository, type WholeThread } from './post-repository.js';

interface StoredThread extends WholeThread {
  /** Where the post stands in `order`. */
  position: number;
}

/**
 * The embedded store's posts, for development without Redis. They are listed in the order they
 * were written; the demo content, the only thread written with an earlier time, is written at
 * start-up into a store that is always empty then.
 */
export class MemoryPostRepository implements PostRepository {
  private readonly threads = new Map<string, StoredThread>();
  /** Post ids, oldest first. */
  private readonly order: string[] = [];

  async list(limit: number, before?: string): Promise<PostList | undefined> {
    let end = this.order.length;
    if (before !== undefined) {
      const cursor = this.threads.get(before);
      if (!cursor) return undefined;
      end = cursor.position;
    }
    const start = Math.max(0, end - limit);
    const ids = this.order.slice(start, end).reverse();
    const posts = ids.flatMap((id) => {
      const thread = this.threads.get(id);
      if (!thread) return [];
      const { id: postId, title, author, createdAt } = thread.post;
      return [{ id: postId, title, author, createdAt, replyCount: thread.replies.length }];
    });
    return { posts, ...(start > 0 ? { nextCursor: ids.at(-1) } : {}) };
  }

  async create(post: NewPostOf): Promise<Post> {
    const created: Post = { ...newEntry(post.body, post.author), title: post.title };
    this.store({ post: created, replies: [] });
    return created;
  }

  async find(id: string, replyLimit: number): Promise<Thread | undefined> {
    const thread = this.threads.get(id);
    if (!thread) return undefined;
    return { post: thread.post, ...replyPage(thread.replies.slice(0, replyLimit), 0, thread.replies.length) };
  }

  async replies(postId: string, offset: number, limit: number): Promise<ReplyList | undefined> {
    const thread = this.threads.get(postId);
    if (!thread) return undefined;
    return replyPage(thread.replies.slice(offset, offset + limit), offset, thread.replies.length);
  }

  async reply(postId: string, body: string, author: Author): Promise<Reply | undefined> {
    const thread = this.threads.get(postId);
    if (!thread) return undefined;
    const reply = newEntry(body, author);
    thread.replies.push(reply);
    return reply;
  }

  async seed(thread: WholeThread): Promise<boolean> {
    if (this.threads.has(thread.post.id)) return false;
    this.store({ post: thread.post, replies: [...thread.replies] });
    return true;
  }

  private store(thread: WholeThread): void {
    this.threads.set(thread.post.id, { ...thread, position: this.order.length });
    this.order.push(thread.post.id);
  }
}
