type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Array.isArray, but narrowing to `unknown[]` rather than `any[]`. */
function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/**
 * How an array in a patch meets the array it patches. FusionAuth appends for `application/json`
 * PATCH requests (what the typescript client sends) and replaces for RFC 7396
 * `application/merge-patch+json`: https://fusionauth.io/docs/apis/#the-patch-http-method
 */
export type ArrayPatching = 'append' | 'replace';

/**
 * JSON merge patch as FusionAuth applies it: objects merge key by key, `null` removes a key,
 * arrays append or replace, anything else replaces. Written here because it is a dozen lines and no
 * library offers FusionAuth's array-appending variant.
 */
export function mergePatch<T extends Json>(target: T, patch: Json, arrays: ArrayPatching = 'replace'): T {
  const result: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = result[key];
    if (value === null) delete result[key];
    else if (isObject(value)) result[key] = mergePatch(isObject(current) ? current : {}, value, arrays);
    else if (isArray(value) && isArray(current) && arrays === 'append') result[key] = [...current, ...value];
    else result[key] = value;
  }
  return result as T;
}

/** The array rule a PATCH request asks for through its Content-Type. */
export function arrayPatchingFor(contentType: string | undefined): ArrayPatching {
  return contentType?.startsWith('application/merge-patch+json') ? 'replace' : 'append';
}
