import type { ApiClient } from '@native-login/login-ui';
import type { Post, PostSummary, Reply } from '../../../src/posts/post.js';

export type { Post, PostSummary, Reply };

/** The Forum backend's API, typed, over the shared client (401 handling, CSRF header, errors). */
export function forumApi(api: ApiClient) {
  return {
    list: () => api.request<{ posts: PostSummary[] }>('GET', '/api/posts'),
    find: (id: string) => api.request<{ post: Post; replies: Reply[] }>('GET', `/api/posts/${encodeURIComponent(id)}`),
    create: (title: string, body: string) => api.request<{ post: Post }>('POST', '/api/posts', { title, body }),
    reply: (id: string, body: string) =>
      api.request<{ reply: Reply }>('POST', `/api/posts/${encodeURIComponent(id)}/replies`, { body }),
  };
}
