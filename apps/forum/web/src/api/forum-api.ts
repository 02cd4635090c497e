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
  Thread,
} from '@native-login/forum/schemas';

export type { Post, PostSummary, Reply };

/** The Forum backend's API, typed, over the shared client (401 handling, CSRF header, errors). */
export function forumApi(api: ApiClient) {
  return {
    list: () => api.request<PostList>('GET', '/api/posts'),
    find: (id: string) => api.request<Thread>('GET', `/api/posts/${encodeURIComponent(id)}`),
    create: (title: string, body: string) =>
      api.request<CreatedPost>('POST', '/api/posts', { title, body } satisfies NewPost),
    reply: (id: string, body: string) =>
      api.request<CreatedReply>('POST', `/api/posts/${encodeURIComponent(id)}/replies`, {
        body,
      } satisfies NewReply),
  };
}
