import { loadAppConfig } from '@native-login/session-login';
import { buildStoreApp } from '@native-login/store';
import { reportListening } from './child.js';

// The real Store backend, production settings, logging at warn.
const app = await buildStoreApp({ config: loadAppConfig('STORE', process.env) });
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
