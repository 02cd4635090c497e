/** What one post or reply may hold, and how many posts the list shows. */
export const limits = { title: 120, body: 5000, reply: 2000, listed: 50 } as const;
