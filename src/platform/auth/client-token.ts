import { errors, jwtVerify } from 'jose';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { VerificationKey } from './client-token-keys.ts';

/** A client token is a one-off proof, not a session: it may live at most this long. */
export const MAX_CLIENT_TOKEN_SECONDS = 15 * 60;
/** How far the tenant's clock and ours may disagree. */
export const CLOCK_SKEW_SECONDS = 60;

function invalid(reason: string): OAuth2Server.InvalidGrantError {
  return new OAuth2Server.InvalidGrantError(`Invalid client token: ${reason}`);
}

/**
 * Checks a JWT the tenant's back end signed for one of its clients and returns its subject,
 * the Nucleus client id (not yet looked up). Required: a valid signature by the registered key
 * with one of the algorithms that key allows, `sub`, and `exp` no more than
 * MAX_CLIENT_TOKEN_SECONDS after `iat` (or after now when there is no `iat`); `iat` may not be
 * in the future, and `iss`, when present, must be the app's own client_id.
 */
export async function verifyClientToken(jwt: string, verification: VerificationKey, appClientId: string): Promise<string> {
  let payload;
  try {
    ({ payload } = await jwtVerify(jwt, verification.key, {
      algorithms: verification.algorithms,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw invalid('it has expired');
    if (error instanceof errors.JOSEError) throw invalid(error.message);
    throw error;
  }
  const now = Math.floor(Date.now() / 1000);
  const { sub, exp, iat, iss } = payload as { sub: unknown; exp: number; iat?: number; iss?: unknown };
  if (typeof sub !== 'string' || sub === '') throw invalid('"sub" must be the id of a Nucleus client');
  if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) throw invalid('"iat" is in the future');
  // Without "iat", the signer's clock may have been ahead of ours when it set "exp".
  const start = iat ?? now - CLOCK_SKEW_SECONDS;
  if (exp - start > MAX_CLIENT_TOKEN_SECONDS) {
    throw invalid(`"exp" may be at most ${MAX_CLIENT_TOKEN_SECONDS} seconds after "iat" (or now)`);
  }
  if (iss !== undefined && iss !== appClientId) throw invalid('"iss", when present, must be the client_id of the app presenting it');
  return sub;
}
