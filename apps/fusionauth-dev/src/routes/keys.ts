import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError, fieldError, notFound, requireFields } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { describeKey, generateSigningKey, isSigningAlgorithm } from '../crypto/signing-keys.js';
import type { StandInStore } from '../state/store.js';

const generateBody = z.object({
  key: z
    .object({
      algorithm: z.string().optional(),
      name: z.string().optional(),
      length: z.number().int().optional(),
    })
    .loose()
    .optional(),
});

const idParams = z.object({ id: z.string().optional() });

/** Key API, for the signing keys applications name in `jwtConfiguration`: https://fusionauth.io/docs/apis/keys */
export function keyRoutes(app: FastifyInstance, store: StandInStore): void {
  const generate = async (request: { body: unknown; params: unknown }) => {
    const { key } = readBody(generateBody, request.body);
    requireFields({ key, 'key.algorithm': key?.algorithm, 'key.name': key?.name });
    const algorithm = key?.algorithm;
    if (!isSigningAlgorithm(algorithm)) {
      throw fieldError('key.algorithm', '[invalid]key.algorithm', `The algorithm [${algorithm}] is not supported.`);
    }
    const length = key?.length;
    if (algorithm.startsWith('RS') && length !== undefined && (length < 2048 || length % 1024 !== 0)) {
      throw fieldError('key.length', '[invalid]key.length', 'An RSA key length must be 2048, 3072 or 4096.');
    }
    const id = idParams.parse(request.params).id ?? randomUUID();
    if (store.keys.has(id)) {
      throw new ApiError(400, {
        fieldErrors: { 'key.id': [{ code: '[duplicate]key.id', message: `A key with Id [${id}] already exists.` }] },
      });
    }
    const created = await generateSigningKey(id, key?.name ?? '', algorithm, length);
    store.keys.set(id, created);
    return { key: describeKey(created) };
  };

  app.post('/api/key/generate', generate);
  app.post('/api/key/generate/:id', generate);
  app.get('/api/key', async () => ({ keys: [...store.keys.values()].map(describeKey) }));
  app.get('/api/key/:id', async (request) => {
    const key = store.keys.get(idParams.parse(request.params).id ?? '');
    if (!key) throw notFound();
    return { key: describeKey(key) };
  });
  app.delete('/api/key/:id', async (request, reply) => {
    const id = idParams.parse(request.params).id ?? '';
    if (!store.keys.delete(id)) throw notFound();
    return reply.code(200).send();
  });
}
