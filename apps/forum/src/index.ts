export { default as forumApp, type ForumAppOptions } from './app.js';
export { loadForumConfig, type ForumConfig, type ForumSettings } from './config.js';
export { anonymousAuthorName } from './routes/post-routes.js';
export * from './schemas/index.js';
