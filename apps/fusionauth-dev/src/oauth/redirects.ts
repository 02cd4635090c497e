import type { ResponseMode } from './authorize-request.js';

/** Where the browser goes next: a redirect, or for `response_mode=form_post` a page that posts the fields. */
export type RedirectAnswer =
  { kind: 'redirect'; location: string } | { kind: 'form_post'; action: string; fields: Array<[string, string]> };

/**
 * Sends parameters back to a redirect URI in the response mode asked for: in the query (the default
 * for `code`), in the fragment, or as a form post. Parameters keep the order given.
 */
export function redirectTo(
  redirectUri: string,
  mode: ResponseMode,
  parameters: Array<[string, string | undefined]>,
): RedirectAnswer {
  const fields = parameters.filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (mode === 'form_post') return { kind: 'form_post', action: redirectUri, fields };
  const encoded = new URLSearchParams(fields).toString();
  if (mode === 'fragment') {
    const uri = redirectUri.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character));
    return { kind: 'redirect', location: `${uri}#${encoded}` };
  }
  // Appended as text: the URI stays as registered, with anything outside printable ASCII escaped so
  // that it can go in a Location header.
  const uri = redirectUri.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character));
  return { kind: 'redirect', location: `${uri}${uri.includes('?') ? '&' : '?'}${encoded}` };
}
