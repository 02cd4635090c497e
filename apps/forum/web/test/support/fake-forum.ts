import {
  createdPost,
  createdReply,
  limits,
  newPost,
  newReply,
  postList,
  postListQuery,
  postParams,
  replyList,
  replyListQuery,
  thread,
  type Author,
  type Post,
  type PostSummary,
  type Reply,
} from '@native-login/forum/schemas';
import type { SessionUser } from '@native-login/session-login/schemas';
import {
  failure,
  ok,
  validationFailure,
  type Account,
  type Answer,
  type FakeBackend,
} from '../../../../../test/web/fake-backend.js';

/**
 * How apps/forum/src/routes/post-routes.ts signs a post by a user without a first or last name.
 * Copied rather than imported: that module brings the whole backend (Fastify, the session layer)
 * into the page.
 */
const anonymousAuthorName = 'A forum member';

function authorOf(user: SessionUser): Author {
  const { id, firstName, lastName } = user;
  return { id, name: [firstName, lastName].filter(Boolean).join(' ') || anonymousAuthorName };
}

const postNotFound = () => failure(404, 'post_not_found', 'That post does not exist.');

const unknownPage = (what: 'posts' | 'replies') =>
  failure(
    400,
    'invalid_cursor',
    what === 'posts'
      ? 'That page of posts does not exist. Start again from the newest posts.'
      : 'That page of replies does not exist. Start again from the first reply.',
  );

/** The backend's answer to a query its schema refuses (validationFailure names bodies and params only). */
function queryFailure(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Answer {
  const [issue] = issues;
  const where = ['querystring', ...(issue?.path ?? []).map(String)].join('.');
  return failure(400, 'validation_failed', `${where}: ${issue?.message ?? 'invalid value'}`);
}

const created = (body: unknown): Answer => ({ status: 201, body });

/**
 * Ids in the shape the backend gives (UUIDs, which `postParams` checks), counted up so that a
 * test can tell them apart: the 3rd post is `00000000-0000-4000-8000-000000000003`.
 */
const uuidNumbered = (group: string, n: number) => `00000000-0000-4000-${group}-${String(n).padStart(12, '0')}`;

interface StoredThread {
  post: Post;
  replies: Reply[];
}

/**
 * The Forum's routes on the fake backend, as apps/forum/src/routes/post-routes.ts answers them over
 * the memory repository: behind the session guard, the real zod schemas for requests and answers
 * (the same `validation_failed` messages), posts listed newest first with the id of a page's last
 * post as the cursor of the next, replies oldest first with their offset as the cursor.
 */
export function fakeForum(backend: FakeBackend) {
  const threads = new Map<string, StoredThread>();
  /** Post ids, oldest first. */
  const order: string[] = [];
  let entries = 0;
  let repliesWritten = 0;
  /** Each entry is a minute after the one before: distinct, ordered times. */
  const start = Date.parse('2026-03-02T09:00:00Z');

  const entry = (id: string, user: SessionUser, body: string): Reply => {
    entries += 1;
    return { id, body, author: authorOf(user), createdAt: new Date(start + entries * 60_000).toISOString() };
  };

  const write = (user: SessionUser, title: string, body: string): Post => {
    const id = uuidNumbered('8000', order.length + 1);
    const post: Post = { ...entry(id, user, body), title };
    threads.set(id, { post, replies: [] });
    order.push(id);
    return post;
  };

  const addReply = (stored: StoredThread, user: SessionUser, body: string): Reply => {
    repliesWritten += 1;
    const reply = entry(uuidNumbered('9000', repliesWritten), user, body);
    stored.replies.push(reply);
    return reply;
  };

  const replyPage = (stored: StoredThread, offset: number, limit: number) => {
    const replies = stored.replies.slice(offset, offset + limit);
    const end = offset + replies.length;
    const replyCount = stored.replies.length;
    return { replies, replyCount, ...(end < replyCount ? { nextCursor: String(end) } : {}) };
  };

  backend.route('GET', '/api/posts', 'guarded', ({ url }) => {
    const query = postListQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return queryFailure(query.error.issues);
    let end = order.length;
    if (query.data.before !== undefined) {
      end = order.indexOf(query.data.before);
      if (end === -1) return unknownPage('posts');
    }
    const begin = Math.max(0, end - query.data.limit);
    const ids = order.slice(begin, end).reverse();
    const posts = ids.map((id): PostSummary => {
      const { post, replies } = threads.get(id) as StoredThread;
      return { id, title: post.title, author: post.author, createdAt: post.createdAt, replyCount: replies.length };
    });
    return ok(postList.parse({ posts, ...(begin > 0 ? { nextCursor: ids.at(-1) } : {}) }));
  });

  backend.route('POST', '/api/posts', 'guarded', ({ user, body }) => {
    const parsed = newPost.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    return created(createdPost.parse({ post: write(user, parsed.data.title, parsed.data.body) }));
  });

  backend.route('GET', '/api/posts/:id', 'guarded', ({ params }) => {
    const post = postParams.safeParse(params);
    if (!post.success) return validationFailure('params', post.error.issues);
    const stored = threads.get(post.data.id);
    if (!stored) return postNotFound();
    return ok(thread.parse({ post: stored.post, ...replyPage(stored, 0, limits.repliesPerPage) }));
  });

  backend.route('GET', '/api/posts/:id/replies', 'guarded', ({ params, url }) => {
    const post = postParams.safeParse(params);
    if (!post.success) return validationFailure('params', post.error.issues);
    const query = replyListQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return queryFailure(query.error.issues);
    const stored = threads.get(post.data.id);
    if (!stored) return postNotFound();
    const offset = query.data.after ?? 0;
    if (offset > stored.replies.length) return unknownPage('replies');
    return ok(replyList.parse(replyPage(stored, offset, query.data.limit)));
  });

  backend.route('POST', '/api/posts/:id/replies', 'guarded', ({ user, params, body }) => {
    const post = postParams.safeParse(params);
    if (!post.success) return validationFailure('params', post.error.issues);
    const parsed = newReply.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const stored = threads.get(post.data.id);
    if (!stored) return postNotFound();
    return created(createdReply.parse({ reply: addReply(stored, user, parsed.data.body) }));
  });

  return {
    /** A post the account wrote earlier (or in another tab), with `replyCount` replies by it numbered "Reply 1", … */
    write(account: Account, title: string, body = 'Something to say.', replyCount = 0): Post {
      const post = write(account.user, title, body);
      const stored = threads.get(post.id) as StoredThread;
      for (let n = 1; n <= replyCount; n += 1) addReply(stored, account.user, `Reply ${n}`);
      return post;
    },

    /** `count` posts by the account, "Post 1" (the oldest) to "Post <count>". */
    writeMany(account: Account, count: number): Post[] {
      return Array.from({ length: count }, (_, index) => write(account.user, `Post ${index + 1}`, 'Something to say.'));
    },

    /** The account replies to a post, as another member would meanwhile. */
    reply(account: Account, post: Post, body: string): Reply {
      return addReply(threads.get(post.id) as StoredThread, account.user, body);
    },

    /** Every post on the server, oldest first. */
    get posts(): Post[] {
      return order.map((id) => (threads.get(id) as StoredThread).post);
    },

    /** A post's replies on the server, oldest first. */
    repliesOf(post: Post): Reply[] {
      return [...(threads.get(post.id)?.replies ?? [])];
    },
  };
}

export type FakeForum = ReturnType<typeof fakeForum>;
