import type { Author, Post, PostSummary, Reply } from '../schemas/posts.js';
import { newEntry, type NewPostOf, type PostRepository } from './post-repository.js';

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

  async create(post: NewPostOf): Promise<Post> {
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
