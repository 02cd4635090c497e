import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldError, generalError, notFound, requireFields } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { describeKey, generateSigningKey, isSigningAlgorithm } from '../crypto/signing-keys.js';
import { signingKeyInUse } from '../state/key-references.js';
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

/** The key sizes FusionAuth generates; anything else is refused (and an RSA size is a CPU cost). */
const allowedLengths = { RSA: [2048, 3072, 4096], HMAC: [256, 384, 512] } as const;

/** Key API, for the signing keys applications name in `jwtConfiguration`: https://fusionauth.io/docs/apis/keys */
export function keyRoutes(app: FastifyInstance, store: StandInStore): void {
  const generate = async (request: FastifyRequest) => {
    const { key } = readBody(generateBody, request.body);
    requireFields({ key, 'key.algorithm': key?.algorithm, 'key.name': key?.name });
    const algorithm = key?.algorithm;
    if (!isSigningAlgorithm(algorithm)) {
      throw fieldError('key.algorithm', '[invalid]', `The algorithm [${algorithm}] is not supported.`);
    }
    const lengths: readonly number[] = allowedLengths[algorithm.startsWith('RS') ? 'RSA' : 'HMAC'];
    if (key?.length !== undefined && !lengths.includes(key.length)) {
      throw fieldError('key.length', '[invalid]', `The key length must be one of ${lengths.join(', ')}.`);
    }
    const id = idParams.parse(request.params).id || randomUUID();
    if (store.keys.has(id)) throw fieldError('key.id', '[duplicate]', `A key with Id [${id}] already exists.`);
    const created = await generateSigningKey(id, key?.name ?? '', algorithm, key?.length);
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
    if (!store.keys.has(id)) throw notFound();
    if (signingKeyInUse(store, id)) throw generalError('[KeyInUse]', 'A tenant or application signs with this key.');
    store.keys.delete(id);
    return reply.code(200).send();
  });
}
