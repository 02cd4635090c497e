import { z } from 'zod';
import { limits } from './limits.js';

const text = (field: string, maximum: number) =>
  z.string().trim().min(1, `${field} must not be empty`).max(maximum, `${field} must be at most ${maximum} characters`);

/** How many entries one page answers: bounded, whatever the request asks for. */
const pageSize = (fallback: number) => {
  const message = `must be a whole number from 1 to ${limits.maxPerPage}`;
  return z.coerce
    .number(message)
    .int(message)
    .min(1, message)
    .max(limits.maxPerPage, message)
    .default(fallback)
    .meta({ description: `How many to answer: at most ${limits.maxPerPage}, ${fallback} unless asked` });
};

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

/** Which page of posts, newest first: the newest, or the ones after where an earlier page ended. */
export const postListQuery = z.object({
  before: z
    .uuid('must be the nextCursor of an earlier page of posts')
    .optional()
    .meta({ description: 'The `nextCursor` of the page before: the posts older than that page. Absent: the newest.' }),
  limit: pageSize(limits.postsPerPage),
});
export type PostListQuery = z.infer<typeof postListQuery>;

/** `GET /api/posts`: one page of posts, the newest first. */
export const postList = z
  .object({
    posts: z.array(postSummary),
    nextCursor: z
      .string()
      .optional()
      .meta({ description: 'Send it back as `before` for the next, older page; absent on the last page' }),
  })
  .meta({ id: 'PostList' });
export type PostList = z.infer<typeof postList>;

const replyCount = z.number().int().meta({ description: 'How many replies the post has in all' });

/** Which page of a post's replies, oldest first: from the first, or from where an earlier page ended. */
export const replyListQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,9}$/, 'must be the nextCursor of an earlier page of replies')
    .transform(Number)
    .optional()
    .meta({ description: 'The `nextCursor` of the page before: the replies after that page. Absent: the first.' }),
  limit: pageSize(limits.repliesPerPage),
});
export type ReplyListQuery = z.infer<typeof replyListQuery>;

/** `GET /api/posts/:id/replies`: one page of a post's replies, oldest first. */
export const replyList = z
  .object({
    replies: z.array(reply),
    replyCount,
    nextCursor: z
      .string()
      .optional()
      .meta({ description: 'Send it back as `after` for the next page; absent on the last page' }),
  })
  .meta({ id: 'ReplyList' });
export type ReplyList = z.infer<typeof replyList>;

/** `GET /api/posts/:id`: a post with the first page of its replies, and where the next page starts. */
export const thread = z
  .object({
    post,
    replies: z.array(reply).meta({ description: `The first replies, oldest first: at most ${limits.repliesPerPage}` }),
    replyCount,
    nextCursor: z.string().optional().meta({
      description:
        'Send it as `after` to `GET /api/posts/{id}/replies` for the next replies; absent when these are all',
    }),
  })
  .meta({ id: 'Thread' });
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
