import type { FastifyInstance, FastifyRequest } from 'fastify';
import { revokeToken } from '../platform/auth/tokens.ts';
import type { Database } from '../platform/db/database.ts';
import { problemText } from './api.ts';
import type { ConsoleCredentials } from './console-credential.ts';
import type { ConsoleSession } from './sessions.ts';

/** Either the password was right, or the sentence saying why it was not accepted. */
export type PasswordAnswer = { confirmed: true } | { confirmed: false; text: string };

/**
 * Asks the signed-in user's password again before a page shows a secret, so a session left
 * open is not enough to read one. The password goes through the same password grant as the
 * sign-in, so its lockout (5 wrong passwords, 15 minutes) and rate limit apply to guesses made
 * here too; the console checks nothing itself.
 */
export class PasswordCheck {
  constructor(
    private readonly app: FastifyInstance,
    private readonly db: Database,
    private readonly credentials: ConsoleCredentials,
  ) {}

  async confirm(request: FastifyRequest, session: ConsoleSession, password: string): Promise<PasswordAnswer> {
    if (!password) return { confirmed: false, text: 'Enter your password.' };
    const answer = await this.credentials.grant(this.app, request, session.tenantId, { grant_type: 'password', username: session.username, password });
    if (answer.status === 200) {
      // Only the answer was wanted: the token would otherwise stay valid, unused, until it expires.
      await revokeToken(this.db, answer.body.access_token as string);
      return { confirmed: true };
    }
    // The token endpoint asks for the second factor only once the password was right; the session passed it already.
    if (answer.status === 403 && answer.body?.error === 'mfa_required') return { confirmed: true };
    if (answer.status === 400 && answer.body?.error === 'invalid_grant') {
      return { confirmed: false, text: 'The password is not right. After 5 wrong passwords in a row your username is locked for 15 minutes.' };
    }
    if (answer.status === 429) return { confirmed: false, text: 'Too many attempts just now; wait a minute and try again.' };
    return { confirmed: false, text: problemText(answer) };
  }
}
