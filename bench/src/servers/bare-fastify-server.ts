import { cartLinesFrom, viewCart } from '@native-login/store';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { reportListening } from './child.js';

/**
 * The ceiling: the same JSON answer from a Fastify route with no session at all. With
 * BENCH_CART_KEY it reads the cart from Redis as the Store does (same client settings), still
 * without a session: what the route costs before any session check.
 */
const cart = JSON.parse(process.env['BENCH_CART'] ?? '{}') as unknown;
const cartKey = process.env['BENCH_CART_KEY'];
const redis = cartKey ? new Redis(process.env['REDIS_URL'] ?? '', { enableAutoPipelining: true }) : undefined;
const app = Fastify({ logger: { level: 'warn' } });
app.get('/api/cart', async () => {
  if (!redis || !cartKey) return cart;
  const lines = await redis.hgetall(cartKey);
  return viewCart(cartLinesFrom(lines));
});
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
