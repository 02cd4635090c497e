import type { ApiClient } from '@native-login/login-ui';
import type {
  CreatedPost,
  CreatedReply,
  NewPost,
  NewReply,
  Post,
  PostList,
  PostSummary,
  Reply,
  ReplyList,
  Thread,
} from '@native-login/forum/schemas';

export type { Post, PostList, PostSummary, Reply, ReplyList, Thread };

/** A path with the query's set values, encoded. */
function withQuery(path: string, query: Record<string, string | undefined>): string {
  const search = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  return search ? `${path}?${search}` : path;
}

const postPath = (id: string) => `/api/posts/${encodeURIComponent(id)}`;

/** The Forum backend's API, typed, over the shared client (401 handling, CSRF header, errors). */
export function forumApi(api: ApiClient) {
  return {
    /** The newest posts, or, given an earlier page's `nextCursor`, the page after it. */
    list: (before?: string) => api.request<PostList>('GET', withQuery('/api/posts', { before })),
    /** A post with its first replies. */
    find: (id: string) => api.request<Thread>('GET', postPath(id)),
    /** The replies after an earlier page's `nextCursor`. */
    replies: (id: string, after: string) =>
      api.request<ReplyList>('GET', withQuery(`${postPath(id)}/replies`, { after })),
    create: (title: string, body: string) =>
      api.request<CreatedPost>('POST', '/api/posts', { title, body } satisfies NewPost),
    reply: (id: string, body: string) =>
      api.request<CreatedReply>('POST', `${postPath(id)}/replies`, { body } satisfies NewReply),
  };
}
