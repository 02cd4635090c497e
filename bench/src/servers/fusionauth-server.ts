import { readKickstartFile } from '@native-login/kickstart';
import { buildStandIn } from '@native-login/fusionauth-dev';
import { reportListening } from './child.js';

// FusionAuth's part, played by the stand-in, with a lowered password-hash cost (reported).
const app = await buildStandIn({
  kickstart: await readKickstartFile(),
  passwordHashIterations: Number(process.env['BENCH_PASSWORD_ITERATIONS'] ?? 1000),
  logger: { level: 'warn' },
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
// The OAuth flow insists that the issuer is where FusionAuth is reached: here, this address.
const tenant = app.standIn.store.tenants.get(app.standIn.store.defaultTenantId);
if (tenant) tenant.issuer = url;
reportListening(url);
