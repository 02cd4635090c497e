export { buildForumApp } from './app.js';
export { limits } from './routes/post-routes.js';
