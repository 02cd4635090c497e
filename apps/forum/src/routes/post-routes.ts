import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError, errorResponses, type SessionUser } from '@native-login/session-login';
import { limits } from '../schemas/limits.js';
import {
  createdPost,
  createdReply,
  newPost,
  newReply,
  postList,
  postParams,
  thread,
  type Author,
} from '../schemas/posts.js';

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

/**
 * The forum. Registered behind the session layer's guard: reading needs a Forum session too, as
 * the workflow has it, and every handler reads its user from `request.user`.
 */
export async function postRoutes(app: FastifyInstance): Promise<void> {
  const { posts } = app;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/posts',
    { schema: { summary: 'The newest posts', tags: ['Forum'], response: { 200: postList, ...errorResponses } } },
    async () => ({ posts: await posts.list(limits.listed) }),
  );

  routes.post(
    '/api/posts',
    {
      schema: {
        summary: 'Write a post',
        tags: ['Forum'],
        body: newPost,
        response: { 201: createdPost, ...errorResponses },
      },
    },
    async (request, response) => {
      const created = await posts.create({ ...request.body, author: authorOf(request.user) });
      return response.code(201).send({ post: created });
    },
  );

  routes.get(
    '/api/posts/:id',
    {
      schema: {
        summary: 'A post with its replies',
        tags: ['Forum'],
        params: postParams,
        response: { 200: thread, ...errorResponses },
      },
    },
    async (request) => {
      const found = await posts.find(request.params.id);
      if (!found) throw postNotFound();
      return found;
    },
  );

  routes.post(
    '/api/posts/:id/replies',
    {
      schema: {
        summary: 'Reply to a post',
        tags: ['Forum'],
        params: postParams,
        body: newReply,
        response: { 201: createdReply, ...errorResponses },
      },
    },
    async (request, response) => {
      const created = await posts.reply(request.params.id, request.body.body, authorOf(request.user));
      if (!created) throw postNotFound();
      return response.code(201).send({ reply: created });
    },
  );
}
