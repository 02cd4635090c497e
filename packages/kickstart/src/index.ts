export {
  kickstartSchema,
  kickstartOAuthConfigurationSchema,
  type Kickstart,
  type KickstartApiKey,
  type KickstartOAuthConfiguration,
  type KickstartRequest,
} from './schema.js';
export {
  substituteKickstart,
  fusionAuthApplicationId,
  KickstartSubstitutionError,
  type SubstitutionContext,
} from './substitute.js';
export { kickstartEnvironment, webhookRoute } from './environment.js';
export { readKickstartFile, defaultKickstartPath, KickstartFileError } from './load.js';
export {
  summarizeKickstart,
  applicationIdByName,
  clientSecretByName,
  type KickstartSummary,
  type KickstartApplication,
  type KickstartUser,
} from './summary.js';
