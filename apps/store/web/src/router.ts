import { emailLinkRoutes } from '@native-login/login-ui';
import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'products', component: () => import('./views/ProductsView.vue') },
    { path: '/cart', name: 'cart', component: () => import('./views/CartView.vue') },
    { path: '/sessions', name: 'sessions', component: () => import('./views/SessionsView.vue') },
    // Shown by SessionGate whoever is signed in; listed so that the catch-all leaves their paths alone.
    ...emailLinkRoutes,
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
