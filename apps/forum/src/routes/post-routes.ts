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
  postListQuery,
  postParams,
  replyList,
  replyListQuery,
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

/** A well-formed cursor this server never gave out: the page it names does not exist. */
const unknownPage = (what: 'posts' | 'replies') =>
  new ApiError(
    400,
    'invalid_cursor',
    what === 'posts'
      ? 'That page of posts does not exist. Start again from the newest posts.'
      : 'That page of replies does not exist. Start again from the first reply.',
  );

/**
 * The forum. Registered behind the session layer's guard: reading needs a Forum session too, as
 * the workflow has it, and every handler reads its user from `request.user`. Lists come a page at
 * a time, each page ending with the cursor of the next one.
 */
export async function postRoutes(app: FastifyInstance): Promise<void> {
  const { posts } = app;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/posts',
    {
      schema: {
        summary: 'A page of posts, the newest first',
        tags: ['Forum'],
        querystring: postListQuery,
        response: { 200: postList, ...errorResponses },
      },
    },
    async (request) => {
      const page = await posts.list(request.query.limit, request.query.before);
      if (!page) throw unknownPage('posts');
      return page;
    },
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
        summary: 'A post with its first replies',
        tags: ['Forum'],
        params: postParams,
        response: { 200: thread, ...errorResponses },
      },
    },
    async (request) => {
      const found = await posts.find(request.params.id, limits.repliesPerPage);
      if (!found) throw postNotFound();
      return found;
    },
  );

  routes.get(
    '/api/posts/:id/replies',
    {
      schema: {
        summary: "A page of a post's replies, the oldest first",
        tags: ['Forum'],
        params: postParams,
        querystring: replyListQuery,
        response: { 200: replyList, ...errorResponses },
      },
    },
    async (request) => {
      const offset = request.query.after ?? 0;
      const page = await posts.replies(request.params.id, offset, request.query.limit);
      if (!page) throw postNotFound();
      // Replies are never removed: a cursor past the last one was never handed out.
      if (offset > page.replyCount) throw unknownPage('replies');
      return page;
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
