import { z } from 'zod';

/**
 * The shape of a FusionAuth kickstart file, as FusionAuth documents it:
 * https://fusionauth.io/docs/get-started/download-and-install/development/kickstart
 */
export const kickstartRequestSchema = z.object({
  // FusionAuth runs only these methods from a kickstart.
  method: z.enum(['POST', 'PUT', 'PATCH']),
  url: z.string().startsWith('/api/', 'a kickstart request URL starts with /api/'),
  tenantId: z.string().optional(),
  /** e.g. `application/merge-patch+json` for a PATCH that replaces arrays instead of appending. */
  contentType: z.string().optional(),
  body: z.unknown().optional(),
});

export const kickstartApiKeySchema = z.object({
  key: z.string().min(1),
  description: z.string().optional(),
  tenantId: z.string().optional(),
});

export const kickstartSchema = z.object({
  variables: z.record(z.string(), z.string()).default({}),
  apiKeys: z.array(kickstartApiKeySchema).default([]),
  requests: z.array(kickstartRequestSchema).default([]),
});

export type KickstartRequest = z.infer<typeof kickstartRequestSchema>;
export type KickstartApiKey = z.infer<typeof kickstartApiKeySchema>;
export type Kickstart = z.infer<typeof kickstartSchema>;
