import type { GrantType } from '@fusionauth/typescript-client';

/**
 * The stand-in's interim answers where FusionAuth's behaviour is unconfirmed (the "[?]" marks of the
 * OAuth workflow specification, fusionauth-oauth.md, whose §7 lists the open questions). Each is one
 * constant so that settling it is a one-line change: the contract suite asserts these values, and a
 * run against a real FusionAuth (docker compose) shows which ones are wrong.
 */

/**
 * [?] `application.oauthConfiguration.enabledGrants` when a request leaves it out (§2.10; §7
 * "`enabledGrants` when omitted"). FusionAuth's domain class starts with an empty set, while the
 * admin UI enables the authorization code and refresh token grants for a new application. The
 * stand-in stores what it is given and this when nothing is; the kickstart always sets it.
 */
export const defaultEnabledGrants: readonly GrantType[] = [];

/**
 * [?] How long a generated `oauthConfiguration.clientSecret` is, in random bytes (§2.10: FusionAuth
 * generates one when a create leaves it blank). Not among §7's questions, because nothing depends on
 * it beyond its being unguessable: 32 bytes, written base64url without padding (43 characters).
 */
export const generatedClientSecretBytes = 32;
