import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { ApiError, generalError } from './api-error.js';

/**
 * FusionAuth's error answers: 400 with errors JSON, other refusals with an empty body (and so with no
 * JSON Content-Type, which the typescript client would try to parse). Unknown paths are 404.
 */
export function answerErrorsLikeFusionAuth(app: FastifyInstance): void {
  app.setErrorHandler((caught: FastifyError | ApiError | ZodError, request, reply) => {
    // A query or path parameter of the wrong shape (a repeated `?userId=`, say) is the caller's mistake.
    const error = caught instanceof ZodError ? generalError('[invalid]', 'A request parameter is not valid.') : caught;
    if (error instanceof ApiError) {
      if (error.errors) return reply.code(error.statusCode).send(error.errors);
      return reply.code(error.statusCode).send();
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      return reply.code(500).send();
    }
    // Fastify's own refusals (body too large, bad URL encoding and so on) keep their status.
    return reply.code(status).send();
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send());
}
