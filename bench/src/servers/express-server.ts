import { cartKey, cartLinesFrom, viewCart } from '@native-login/store';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { reportListening } from './child.js';

declare module 'express-session' {
  interface SessionData {
    user: { id: string };
  }
}

// The usual peer, as FusionAuth's own Node examples set it up: Express 5, express-session and
// connect-redis on node-redis, configured as their documentation recommends (no resave, no
// uninitialised sessions, rolling expiry), doing the same check and answering the same JSON: the
// signed-in user's cart, read from the same Redis hash the Store keeps it in (named by the Store's cartKey).
const storeKeyPrefix = process.env['BENCH_STORE_KEY_PREFIX'] ?? 'bench:store:';
const redis = createClient({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
await redis.connect();
const app = express();
app.use(express.json());
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: `${process.env['BENCH_PREFIX'] ?? 'bench:'}express:` }),
    secret: 'express-peer-secret-of-at-least-32-chars',
    resave: false,
    saveUninitialized: false,
    rolling: true,
    name: 'peer_session',
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 1_800_000 },
  }),
);
app.post('/api/login', (request, response) => {
  request.session.user = { id: process.env['BENCH_USER_ID'] ?? 'bench-user' };
  response.json({ user: request.session.user });
});
app.get('/api/cart', async (request, response) => {
  if (!request.session.user) {
    response.status(401).json({ code: 'unauthenticated', message: 'Please sign in.' });
    return;
  }
  const lines = await redis.hGetAll(cartKey(storeKeyPrefix, request.session.user.id));
  response.json(viewCart(cartLinesFrom(lines)));
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  reportListening(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
