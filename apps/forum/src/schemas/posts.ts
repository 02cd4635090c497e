import { z } from 'zod';
import { limits } from './limits.js';

const text = (field: string, maximum: number) =>
  z.string().trim().min(1, `${field} must not be empty`).max(maximum, `${field} must be at most ${maximum} characters`);

/** Who wrote a post or reply, shown by name only: a post must not hand every member the author's email. */
export const author = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Author' });
export type Author = z.infer<typeof author>;

export const reply = z
  .object({ id: z.string(), body: z.string(), author, createdAt: z.iso.datetime() })
  .meta({ id: 'Reply' });
export type Reply = z.infer<typeof reply>;

export const post = reply.extend({ title: z.string() }).meta({ id: 'Post' });
export type Post = z.infer<typeof post>;

export const postSummary = z
  .object({ id: z.string(), title: z.string(), author, createdAt: z.iso.datetime(), replyCount: z.number().int() })
  .meta({ id: 'PostSummary' });
export type PostSummary = z.infer<typeof postSummary>;

export const postList = z.object({ posts: z.array(postSummary) }).meta({ id: 'PostList' });
export type PostList = z.infer<typeof postList>;

export const thread = z.object({ post, replies: z.array(reply) }).meta({ id: 'Thread' });
export type Thread = z.infer<typeof thread>;

export const newPost = z
  .object({ title: text('title', limits.title), body: text('body', limits.body) })
  .meta({ id: 'NewPost' });
export type NewPost = z.infer<typeof newPost>;

export const newReply = z.object({ body: text('body', limits.reply) }).meta({ id: 'NewReply' });
export type NewReply = z.infer<typeof newReply>;

/** A post just written, as `POST /api/posts` answers it. */
export const createdPost = z.object({ post }).meta({ id: 'CreatedPost' });
export type CreatedPost = z.infer<typeof createdPost>;

/** A reply just written, as `POST /api/posts/:id/replies` answers it. */
export const createdReply = z.object({ reply }).meta({ id: 'CreatedReply' });
export type CreatedReply = z.infer<typeof createdReply>;

export const postParams = z.object({ id: z.uuid('must be a post id') });
