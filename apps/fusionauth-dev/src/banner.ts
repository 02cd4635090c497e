import { summarizeKickstart, type Kickstart } from '@native-login/kickstart';

/** What an operator needs to point the apps at the stand-in, as printed at start-up. */
export function describeStandIn(url: string, kickstart: Kickstart | undefined): string {
  const lines = [
    `FusionAuth stand-in listening on ${url}`,
    `Development mailbox (the emails it would have sent): ${new URL('/dev/mailbox', url).href}`,
  ];
  if (!kickstart) {
    lines.push('Started empty: a default tenant and no API key, as a fresh FusionAuth.');
    return `${lines.join('\n')}\n`;
  }
  const summary = summarizeKickstart(kickstart);
  lines.push(`  FUSIONAUTH_URL=${url}`);
  lines.push(`  FUSIONAUTH_API_KEY=${summary.apiKey ?? '(none)'}`);
  lines.push(`  FUSIONAUTH_TENANT_ID=${summary.tenantId ?? '(random)'}`);
  for (const application of summary.applications) {
    lines.push(`  ${application.name.toUpperCase()}_APPLICATION_ID=${application.id}`);
  }
  if (summary.users.length > 0) {
    lines.push('Demo users:');
    for (const user of summary.users) {
      const registrations = user.applications.length > 0 ? user.applications.join(', ') : 'no application';
      lines.push(`  ${user.email} / ${user.password ?? '(no password)'}  (${registrations})`);
    }
  }
  return `${lines.join('\n')}\n`;
}
