import type { FastifyReply, FastifyRequest } from 'fastify';
import OAuth2Server from '@node-oauth/oauth2-server';
import { MfaRequiredError } from './mfa/grants.ts';
import { ENVIRONMENTS, type Environment } from '../tenant/environment.ts';

export const tokenResponse = {
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string', enum: ['bearer'] },
    expires_in: { type: 'integer', description: 'Seconds until the token expires' },
    scope: { type: 'string', description: 'Space-separated scopes granted' },
    apps: { type: 'string', description: 'Comma-separated APIs the token is good for' },
    environment: { type: 'string', enum: ENVIRONMENTS, description: "The tenant's environment (a Deuterium addition; OAuth clients ignore fields they do not know)" },
  },
  required: ['access_token', 'token_type', 'expires_in', 'scope', 'apps', 'environment'],
} as const;

export const oauthError = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'RFC 6749 error code' },
    error_description: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    request_id: { type: 'string' },
    mfa_token: { type: 'string', description: 'With mfa_required: what to send with the second factor, for 5 minutes (docs/admin-2fa.md)' },
  },
  required: ['error', 'error_description', 'status', 'code', 'message', 'request_id'],
} as const;

/**
 * Answers an issued token in Hydrogen's shape, with the APIs its credential may call as
 * `apps` and the tenant's environment; token responses must never be cached.
 */
export function sendToken(reply: FastifyReply, token: { accessToken: string; expiresIn: number; scope: string[]; apps: readonly string[]; environment: Environment }) {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  return {
    access_token: token.accessToken,
    token_type: 'bearer',
    expires_in: token.expiresIn,
    scope: token.scope.join(' '),
    apps: token.apps.join(','),
    environment: token.environment,
  };
}

/** Answers an OAuth error in RFC 6749 form, with our usual status, code, message and request_id too. */
export function sendOAuthError(request: FastifyRequest, reply: FastifyReply, error: OAuth2Server.OAuthError): FastifyReply {
  // RFC 6749 section 5.2: a failed client authentication is 401 however it was sent.
  const status = error.name === 'invalid_client' ? 401 : error instanceof MfaRequiredError ? 403 : error.code >= 500 ? 500 : 400;
  if (status === 401) reply.header('www-authenticate', 'Basic realm="deuterium"');
  if (status === 500) request.log.error({ err: error }, 'token endpoint failure');
  return reply.code(status).send({
    error: error.name,
    error_description: error.message,
    status,
    code: error.name,
    message: error.message,
    request_id: String(request.id),
    ...(error instanceof MfaRequiredError ? { mfa_token: error.mfaToken } : {}),
  });
}
