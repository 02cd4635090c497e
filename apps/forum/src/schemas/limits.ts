/**
 * What one post or reply may hold, and how many posts or replies one page answers: a page is read
 * whole from the store, so its size is bounded whatever a request asks for.
 */
export const limits = {
  title: 120,
  body: 5000,
  reply: 2000,
  postsPerPage: 20,
  repliesPerPage: 20,
  maxPerPage: 50,
} as const;
