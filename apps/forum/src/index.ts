export { buildForumApp } from './app.js';
export { anonymousAuthorName, limits } from './routes/post-routes.js';
