import Fastify from 'fastify';
import { reportListening } from './child.js';

/**
 * Floor (a), the ceiling: the same JSON answer as the Store's `GET /api/cart`, from a Fastify
 * route with no session and no Redis.
 */
const cart = JSON.parse(process.env['BENCH_CART'] ?? '{}') as unknown;
const app = Fastify({ logger: { level: 'warn' } });
app.get('/api/cart', async () => cart);
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
