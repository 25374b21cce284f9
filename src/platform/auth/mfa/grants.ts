import OAuth2Server from '@node-oauth/oauth2-server';
import { apiActor } from '../../audit/actor.ts';
import { recordAudit } from '../../audit/admin-audit.ts';
import type { Database } from '../../db/database.ts';
import type { Raindrop } from '../../../hydro/signatures.ts';
import { findAdminLoginById } from '../admin-users.ts';
import type { AppClient, TokenUser } from '../oauth-model.ts';
import { acceptTotp, enrolledHydroId, hasConfirmedFactor, throttledCode } from './factors.ts';
import { findMfaToken, issueMfaToken, spendMfaToken, type MfaTicket } from './mfa-tokens.ts';
import { spendRecoveryCode, unusedRecoveryCodes } from './recovery-codes.ts';

/** Auth0's grant types for the second step of an MFA login, and ours for Raindrop, which Auth0 has no counterpart for. */
export const MFA_GRANTS = {
  otp: 'http://auth0.com/oauth/grant-type/mfa-otp',
  recoveryCode: 'http://auth0.com/oauth/grant-type/mfa-recovery-code',
  raindrop: 'urn:deuterium:params:oauth:grant-type:mfa-raindrop',
} as const;

/** Auth0's answer to a password that needs a second factor: 403 mfa_required with the mfa_token to continue with. */
export class MfaRequiredError extends OAuth2Server.OAuthError {
  constructor(
    message: string,
    readonly mfaToken: string,
  ) {
    super(message, { code: 403, name: 'mfa_required' });
  }
}

/** For an admin user whose password was right but who must also pass a second factor. */
export async function mfaRequired(db: Database, client: AppClient, adminUserId: string): Promise<MfaRequiredError> {
  const mfaToken = await issueMfaToken(db, { tenantId: client.tenantId, credentialId: client.id, adminUserId });
  const next = (await hasConfirmedFactor(db, adminUserId))
    ? `send the mfa_token with grant_type ${MFA_GRANTS.otp} (otp), ${MFA_GRANTS.recoveryCode} (recovery_code) or ${MFA_GRANTS.raindrop}`
    : 'this user has no second factor yet: enrol one at /admin/v1/mfa/totp or /admin/v1/mfa/raindrop with the mfa_token as bearer, then send it with the code';
  return new MfaRequiredError(`Multifactor authentication required: ${next}`, mfaToken);
}

function parameter(request: OAuth2Server.Request, name: string): string {
  const value: unknown = request.body[name];
  if (typeof value !== 'string' || value === '') throw new OAuth2Server.InvalidRequestError(`Missing parameter: \`${name}\``);
  return value;
}

type Proof = (request: OAuth2Server.Request, ticket: MfaTicket, app: AppClient) => Promise<true | string>;

/**
 * A grant that turns an mfa_token and a proof of the second factor into an access token for
 * the admin user, through the same credential that checked the password. The mfa_token is
 * spent only by a success, so a mistyped code can be tried again until it expires.
 */
function mfaGrant(db: Database, prove: Proof): typeof OAuth2Server.AbstractGrantType {
  return class MfaGrant extends OAuth2Server.AbstractGrantType {
    async handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token> {
      const app = client as AppClient;
      const ticket = await findMfaToken(db, parameter(request, 'mfa_token'));
      if (!ticket || ticket.tenantId !== app.tenantId || ticket.credentialId !== app.id) {
        throw new OAuth2Server.InvalidGrantError('Invalid grant: mfa_token is invalid, expired or already used');
      }
      const login = await findAdminLoginById(db, ticket.tenantId, ticket.adminUserId);
      if (!login?.canLogIn) throw new OAuth2Server.InvalidGrantError('Invalid grant: user credentials are invalid');
      const proven = await prove(request, ticket, app);
      if (proven !== true) throw new OAuth2Server.InvalidGrantError(`Invalid grant: ${proven}`);
      if (!(await spendMfaToken(db, ticket))) throw new OAuth2Server.InvalidGrantError('Invalid grant: mfa_token is invalid, expired or already used');
      const user: TokenUser = { clientId: null, adminUserId: login.id, authorities: login.authorities, requiresSecondFactor: false };
      const scope = (await this.validateScope(user, client, this.getScope(request))) as string[];
      const accessToken = await this.generateAccessToken(client, user, scope);
      const { model } = this as unknown as { model: OAuth2Server.PasswordModel };
      return model.saveToken({ accessToken, accessTokenExpiresAt: this.getAccessTokenExpiresAt(), scope, client, user }, client, user) as Promise<OAuth2Server.Token>;
    }
  };
}

/** The grant types of the second step, for OAuth2Server's extendedGrantTypes. */
export function mfaGrantTypes(db: Database, raindrop: Raindrop): Record<string, typeof OAuth2Server.AbstractGrantType> {
  const code = (name: string, accept: (ticket: MfaTicket, code: string, app: AppClient) => Promise<boolean>, refusal: string): Proof => {
    return async (request, ticket, app) => {
      const given = parameter(request, name);
      const ok = await throttledCode(db, ticket.tenantId, ticket.adminUserId, given, () => accept(ticket, given, app));
      return ok || refusal;
    };
  };
  // A recovery code stands in for the second factor: its use is recorded with how many are left, so a super-admin sees
  // a user running out of them, or someone else spending them.
  const spendRecorded = (ticket: MfaTicket, recoveryCode: string, app: AppClient) =>
    db.transaction(async (tx) => {
      if (!(await spendRecoveryCode(tx, ticket.adminUserId, recoveryCode))) return false;
      await recordAudit(tx, ticket.tenantId, apiActor({ credentialId: app.id, adminUserId: ticket.adminUserId }, app.address), {
        action: 'mfa_recovery_code_used',
        subject: { adminUserId: ticket.adminUserId },
        details: { recovery_codes_left: await unusedRecoveryCodes(tx, ticket.adminUserId) },
      });
      return true;
    });
  return {
    [MFA_GRANTS.otp]: mfaGrant(db, code('otp', (ticket, otp) => acceptTotp(db, ticket.adminUserId, otp), 'the one-time password is not valid')),
    [MFA_GRANTS.recoveryCode]: mfaGrant(db, code('recovery_code', spendRecorded, 'the recovery code is not valid or was already used')),
    [MFA_GRANTS.raindrop]: mfaGrant(db, async (request, ticket) => {
      const hydroId = await enrolledHydroId(db, ticket.adminUserId);
      if (!hydroId) return 'this user has no HydroID enrolled';
      const given = request.body.hydro_id;
      if (given !== undefined && given !== hydroId) return `hydro_id ${String(given)} is not the HydroID this user enrolled`;
      if (!ticket.raindropMessage) return 'no message was handed out for this mfa_token; POST /admin/v1/mfa/raindrop/challenge first';
      const check = await raindrop.verify(ticket.tenantId, hydroId, ticket.raindropMessage);
      return check.authenticated || `HydroID ${hydroId} did not sign the message: ${check.message}`;
    }),
  };
}
