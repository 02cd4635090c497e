import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import type { EmailOutcome } from '../fusionauth/account-outcome.js';
import { unavailable } from '../errors/fusionauth-errors.js';
import type { CheckEmail } from '../schemas/account.js';

/**
 * The answer to every request that may send an email: the same words whether or not an account
 * uses the address, so that nobody learns from it who has one. 202: the email is on its way, or
 * there is none to send.
 */
export const checkEmailAnswer = (message: string): CheckEmail => ({ code: 'check_email', message });

/** 400 `link_expired`: an emailed link's id that no longer works (spent, expired, or never issued). */
export const linkExpired = (): ApiError =>
  new ApiError(400, 'link_expired', 'This link has expired or has been used already. Ask for a new one below.');

/** How long a reset link lasts: FusionAuth's default `changePasswordIdTimeToLiveInSeconds`. */
export const resetLinkLifetime = '10 minutes';

export interface AccountEmail {
  /** The metric's `flow` and the log's `event`. */
  flow: string;
  event: string;
  /** The email's name for an operator, in the error logged when FusionAuth has no template for it. */
  template: string;
  /** Asks FusionAuth to send it. */
  send: (address: string) => Promise<EmailOutcome>;
  /** The answer's words, whatever became of the email. */
  message: (address: string) => string;
}

/**
 * Asks FusionAuth to email `address` (a password reset, a new verification link), counted against
 * the limits on emails first, and answers 202 in the same words whatever became of it, unless
 * FusionAuth could not be asked (503). A tenant without the template is the operator's to mend:
 * logged as an error, answered as ever.
 */
export async function sendAccountEmail(
  scope: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  address: string,
  email: AccountEmail,
): Promise<FastifyReply> {
  await scope.loginThrottle.countEmail(request, address);
  const outcome = await email.send(address);
  scope.metrics.accountFlows.inc({ flow: email.flow, outcome: outcome.kind });
  const log = { event: email.event, ip: request.ip, outcome: outcome.kind };
  if (outcome.kind === 'unavailable') throw unavailable(request, log, outcome);
  if (outcome.kind === 'no_template') {
    request.log.error(log, `FusionAuth has no ${email.template} email template: set one on the tenant`);
  } else if (outcome.kind === 'invalid_request') {
    request.log.warn(log, `FusionAuth refused the ${email.template} email request`);
  } else {
    request.log.info(log, `${email.template} email asked for`);
  }
  return reply.code(202).send(checkEmailAnswer(email.message(address)));
}
