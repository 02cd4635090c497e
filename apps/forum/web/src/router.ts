import { emailLinkRoutes } from '@native-login/login-ui';
import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'posts', component: () => import('./views/PostListView.vue') },
    { path: '/posts/new', name: 'new-post', component: () => import('./views/NewPostView.vue') },
    { path: '/posts/:id', name: 'post', component: () => import('./views/PostView.vue'), props: true },
    { path: '/sessions', name: 'sessions', component: () => import('./views/SessionsView.vue') },
    // Shown by SessionGate whoever is signed in; listed so that the catch-all leaves their paths alone.
    ...emailLinkRoutes,
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
