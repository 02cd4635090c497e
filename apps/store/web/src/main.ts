import '@native-login/login-ui/styles.css';
import { sessionOptions } from '@native-login/login-ui';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';

createApp(App)
  .use(createPinia())
  .use(sessionOptions({ appName: 'Store' }))
  .use(router)
  .mount('#app');
