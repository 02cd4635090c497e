/** A forum post and its replies, as stored and as the API answers them (the SPA shares these types). */
export interface Author {
  id: string;
  name: string;
}

export interface Reply {
  id: string;
  body: string;
  author: Author;
  createdAt: string;
}

export interface Post extends Reply {
  title: string;
}

export interface PostSummary {
  id: string;
  title: string;
  author: Author;
  createdAt: string;
  replyCount: number;
}

export interface NewPost {
  title: string;
  body: string;
  author: Author;
}
