import type { Error as FusionAuthError, Errors } from '@fusionauth/typescript-client';

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

/**
 * Collects field errors so that one answer names every problem, as FusionAuth's does. Codes are
 * FusionAuth's `[kind]field`, e.g. `[blank]user.email`.
 */
export class FieldErrors {
  private readonly errors: Record<string, FusionAuthError[]> = {};

  add(field: string, kind: string, message: string): this {
    (this.errors[field] ??= []).push({ code: `${kind}${field}`, message });
    return this;
  }

  /** Whether a field already has an error. */
  has(field: string): boolean {
    return (this.errors[field]?.length ?? 0) > 0;
  }

  /** The code of the field's first error (`[tooShort]password`), if it has one. */
  first(field: string): string | undefined {
    return this.errors[field]?.[0]?.code;
  }

  /** `[blank]` for each named field whose value is missing or empty. */
  requireAll(fields: Record<string, unknown>): this {
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
        this.add(field, '[blank]', `You must specify the [${field}] property.`);
      }
    }
    return this;
  }

  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new ApiError(400, { fieldErrors: this.errors });
  }
}

/** 400 with one error on a request field, e.g. `fieldError('applicationId', '[invalid]', ...)`. */
export function fieldError(field: string, kind: string, message: string): ApiError {
  return new ApiError(400, { fieldErrors: { [field]: [{ code: `${kind}${field}`, message }] } });
}

/** 400 with a general (not field-bound) error, e.g. `[invalidJSON]`. */
export function generalError(code: string, message: string): ApiError {
  return new ApiError(400, { generalErrors: [{ code, message }] });
}

/** `[blank]field` errors for each named field whose value is missing or empty; none thrown if all present. */
export function requireFields(fields: Record<string, unknown>): void {
  new FieldErrors().requireAll(fields).throwIfAny();
}

export const notFound = (): ApiError => new ApiError(404);
export const unauthorized = (): ApiError => new ApiError(401);
