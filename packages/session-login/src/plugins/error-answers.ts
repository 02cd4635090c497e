import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from '../errors/api-error.js';
import type { ErrorBody } from '../schemas/errors.js';

/** Fastify's own refusals of a request, by error code, as this API words them. */
const fastifyRefusals: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_request',
    message: 'The Content-Length does not match the body.',
  },
};

/**
 * What the log keeps of a failure's cause: its kind and message. A Redis error carries the command
 * it failed on, and a session write's arguments are a whole session record.
 */
function describeCause(cause: unknown): { type: string; message: string } | undefined {
  return cause instanceof Error ? { type: cause.name, message: cause.message } : undefined;
}

/**
 * One error shape for the whole API. Client mistakes get a 4xx with a message that names the
 * problem; anything else is logged in full and answered with a generic 500, never a stack trace.
 */
async function errorAnswers(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    let status: number;
    let body: ErrorBody;
    if (error instanceof ApiError) {
      status = error.statusCode;
      body = error.body;
      if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
      if (status >= 500) request.log.warn({ code: error.code, cause: describeCause(error.cause) }, error.message);
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const where = issue?.instancePath
        ? `${error.validationContext}${issue.instancePath.replaceAll('/', '.')}`
        : error.validationContext;
      status = 400;
      body = { code: 'validation_failed', message: `${where}: ${issue?.message ?? 'invalid value'}` };
    } else if (error.code && fastifyRefusals[error.code]) {
      const refusal = fastifyRefusals[error.code] as { status: number; code: string; message: string };
      status = refusal.status;
      body = { code: refusal.code, message: refusal.message };
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      body = { code: 'invalid_request', message: 'The request could not be processed.' };
    } else {
      request.log.error({ err: error }, 'unexpected error');
      status = 500;
      body = { code: 'internal_error', message: 'Something went wrong on our side.' };
    }
    if (status >= 500 && request.session) {
      // Nothing of a failed request is saved: no second try at a store that just failed, and no
      // session cookie on an error. (@fastify/session skips a request whose session is null.)
      (request as { session: unknown }).session = null;
    }
    return reply.code(status).send(body);
  });
}

export default fp(errorAnswers, { name: 'error-answers', fastify: '5.x' });
