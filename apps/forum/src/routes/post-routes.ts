import { ApiError, errorBody, guardRoutes, requireUser, type SessionUser } from '@native-login/session-login';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Author } from '../posts/post.js';
import type { PostRepository } from '../posts/post-repository.js';

export interface PostRoutesOptions {
  posts: PostRepository;
}

/** Limits on what one post or reply may hold. */
export const limits = { title: 120, body: 5000, reply: 2000, listed: 50 } as const;

const text = (field: string, maximum: number) =>
  z.string().trim().min(1, `${field} must not be empty`).max(maximum, `${field} must be at most ${maximum} characters`);

const author = z.object({ id: z.string(), name: z.string() });
const reply = z.object({ id: z.string(), body: z.string(), author, createdAt: z.string() });
const post = reply.extend({ title: z.string() });
const summary = z.object({
  id: z.string(),
  title: z.string(),
  author,
  createdAt: z.string(),
  replyCount: z.number().int(),
});
const postId = z.object({ id: z.uuid('must be a post id') });
const errors = { '4xx': errorBody, '5xx': errorBody };

/** How a post by a user without a first or last name is signed. */
export const anonymousAuthorName = 'A forum member';

/**
 * The author is always the signed-in user, never anything the request body says, and is shown by
 * name only: a post must not hand every member the author's email address.
 */
function authorOf(user: SessionUser): Author {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return { id: user.id, name: name || anonymousAuthorName };
}

const postNotFound = () => new ApiError(404, 'post_not_found', 'That post does not exist.');

/** The forum: reading needs a Forum session too, as the workflow has it. */
export async function postRoutes(app: FastifyInstance, { posts }: PostRoutesOptions): Promise<void> {
  const { config } = app.backend;
  guardRoutes(app, config);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/posts',
    { schema: { response: { 200: z.object({ posts: z.array(summary) }), ...errors } } },
    async () => ({
      posts: await posts.list(limits.listed),
    }),
  );

  routes.post(
    '/api/posts',
    {
      schema: {
        body: z.object({ title: text('title', limits.title), body: text('body', limits.body) }),
        response: { 201: z.object({ post }), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, config);
      const created = await posts.create({ ...request.body, author: authorOf(user) });
      return reply.code(201).send({ post: created });
    },
  );

  routes.get(
    '/api/posts/:id',
    { schema: { params: postId, response: { 200: z.object({ post, replies: z.array(reply) }), ...errors } } },
    async (request) => {
      const thread = await posts.find(request.params.id);
      if (!thread) throw postNotFound();
      return thread;
    },
  );

  routes.post(
    '/api/posts/:id/replies',
    {
      schema: {
        params: postId,
        body: z.object({ body: text('body', limits.reply) }),
        response: { 201: z.object({ reply }), ...errors },
      },
    },
    async (request, response) => {
      const user = requireUser(request, config);
      const created = await posts.reply(request.params.id, request.body.body, authorOf(user));
      if (!created) throw postNotFound();
      return response.code(201).send({ reply: created });
    },
  );
}
