import type { FastifyReply, FastifyRequest } from 'fastify';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { ApiError, ErrorType } from '../http/api-error.ts';
import { errorOfCode } from '../http/errors.ts';
import { errorSchema } from '../openapi/shared-schemas.ts';
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
    type: errorSchema.properties.type,
    message: { type: 'string' },
    request_id: { type: 'string' },
    mfa_token: { type: 'string', description: 'With mfa_required: what to send with the second factor, for 5 minutes (docs/admin-2fa.md)' },
  },
  required: ['error', 'error_description', 'status', 'code', 'type', 'message', 'request_id'],
} as const;

const IP_NOT_ALLOWED = "ip_not_allowed: the credential's IP allowlist does not hold the caller's address (told only once the secret proved right)";

/** The refusals of an endpoint that issues tokens, all in the OAuth shape; `forbidden` says what its other 403s mean. */
export function oauthErrorResponses(...forbidden: string[]) {
  return { 403: { ...oauthError, description: [...forbidden, IP_NOT_ALLOWED].join('; ') }, '4xx': oauthError };
}

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

function sendRefusal(request: FastifyRequest, reply: FastifyReply, status: number, code: string, type: ErrorType, message: string, extra: object = {}): FastifyReply {
  return reply.code(status).send({ error: code, error_description: message, status, code, type, message, request_id: String(request.id), ...extra });
}

/** Answers an OAuth error in RFC 6749 form, with our usual status, code, type, message and request_id too. */
export function sendOAuthError(request: FastifyRequest, reply: FastifyReply, error: OAuth2Server.OAuthError): FastifyReply {
  // RFC 6749 section 5.2: a failed client authentication is 401 however it was sent.
  const status = error.name === 'invalid_client' ? 401 : error instanceof MfaRequiredError ? 403 : error.code >= 500 ? 500 : 400;
  if (status === 401) reply.header('www-authenticate', 'Basic realm="deuterium"');
  if (status === 500) request.log.error({ err: error }, 'token endpoint failure');
  // A failure of ours (server_error) or a refusal OAuth2Server has that the catalogue does not.
  const type = status === 500 ? 'api_error' : (errorOfCode(error.name)?.type ?? 'invalid_request_error');
  return sendRefusal(request, reply, status, error.name, type, error.message, error instanceof MfaRequiredError ? { mfa_token: error.mfaToken } : {});
}

/** A refusal of ours (ip_not_allowed) in the same shape, so a token client reads every refusal alike. */
export function sendApiRefusal(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return sendRefusal(request, reply, error.status, error.code, error.type, error.message);
}
