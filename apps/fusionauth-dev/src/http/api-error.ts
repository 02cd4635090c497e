import type { Errors } from '@fusionauth/typescript-client';

/**
 * An answer FusionAuth gives instead of the normal one. FusionAuth sends 401, 404 and most other
 * refusals with an empty body, and 400 with its errors JSON:
 * https://fusionauth.io/docs/apis/errors
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly statusCode: number,
    readonly errors?: Errors,
  ) {
    super(errors ? JSON.stringify(errors) : `FusionAuth status ${statusCode}`);
  }
}

/** 400 with one error on a request field, e.g. `fieldError('loginId', '[blank]loginId', ...)`. */
export function fieldError(field: string, code: string, message: string): ApiError {
  return new ApiError(400, { fieldErrors: { [field]: [{ code, message }] } });
}

/** 400 with a general (not field-bound) error, e.g. `[invalidJSON]`. */
export function generalError(code: string, message: string): ApiError {
  return new ApiError(400, { generalErrors: [{ code, message }] });
}

/** `[blank]field` errors for each named field whose value is missing or empty; none thrown if all present. */
export function requireFields(fields: Record<string, unknown>): void {
  const fieldErrors: NonNullable<Errors['fieldErrors']> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      fieldErrors[field] = [{ code: `[blank]${field}`, message: `You must specify the [${field}] property.` }];
    }
  }
  if (Object.keys(fieldErrors).length > 0) throw new ApiError(400, { fieldErrors });
}

export const notFound = (): ApiError => new ApiError(404);
export const unauthorized = (): ApiError => new ApiError(401);
