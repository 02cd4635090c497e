// The Forum API's shapes, one zod schema each with its type inferred, shared with the Forum SPA
// through the package's `./schemas` export.
export { limits } from './limits.js';
export {
  author,
  createdPost,
  createdReply,
  newPost,
  newReply,
  post,
  postList,
  postParams,
  postSummary,
  reply,
  thread,
  type Author,
  type CreatedPost,
  type CreatedReply,
  type NewPost,
  type NewReply,
  type Post,
  type PostList,
  type PostSummary,
  type Reply,
  type Thread,
} from './posts.js';
