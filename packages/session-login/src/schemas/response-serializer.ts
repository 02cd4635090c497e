import { isDeepStrictEqual } from 'node:util';
import type { FastifySerializerCompiler } from 'fastify';
import fastJson, { type AnySchema } from 'fast-json-stringify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface ResponseSerializerOptions {
  /**
   * Also parse every answer with its zod schema, and compare what was sent with what zod made of
   * it: an answer the schema does not describe, or one the generated serializer would write
   * differently, fails (a 500) instead of going out. For tests; it costs a zod parse per answer.
   */
  check: boolean;
}

/**
 * Writes each answer with Fastify's own serializer, fast-json-stringify, compiled once per route
 * and status from the JSON Schema that zod generates from the route's response schema. The zod
 * type provider's serializer parses every answer with zod before JSON.stringify, which on the
 * guarded read cost about as much as the session check's HMAC and SHA-256 together; here a route's
 * answers are written by code made for their shape, and checked against zod in tests.
 *
 * fast-json-stringify writes what the schema names and nothing more, as zod's parse does (objects
 * strip unknown keys); `check` pins that the two agree on every answer the tests send.
 */
export function responseSerializerCompiler(options: ResponseSerializerOptions): FastifySerializerCompiler<z.ZodType> {
  return ({ schema, method, url }) => {
    const stringify = fastJson(z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }) as AnySchema) as (
      data: unknown,
    ) => string;
    if (!options.check) return stringify;
    return (data) => {
      const parsed = schema.safeParse(data);
      if (!parsed.success) throw new ResponseSerializationError(method, url, { cause: parsed.error });
      const text = stringify(data);
      const expected: unknown = JSON.parse(JSON.stringify(parsed.data) ?? 'null');
      if (!isDeepStrictEqual(JSON.parse(text), expected)) {
        throw new Error(`${method} ${url}: fast-json-stringify wrote ${text}, zod ${JSON.stringify(expected)}`);
      }
      return text;
    };
  };
}
