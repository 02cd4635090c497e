import '@native-login/login-ui/styles.css';
import { createSession } from '@native-login/login-ui';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';

const session = createSession({ appName: 'Forum' });
createApp(App).use(session).use(router).mount('#app');
