import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';

/** Hydrogen grants these four scopes; a token request may narrow them, never widen them. */
export const ALL_SCOPES = ['create', 'read', 'update', 'delete'];

const BY_METHOD: Record<string, string> = {
  GET: 'read',
  HEAD: 'read',
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
};

/**
 * Routes whose method says less than what they do. Proton's POSTs compute and store nothing,
 * so they only read (all but card_authorization, whose approval is kept as a hold that later
 * decisions count); a few Nucleus POSTs are reads Hydrogen sends by POST; changing a password
 * by POST changes a stored record (Hydrogen's own name for it is updateClientCredentialsUsingPOST),
 * and so do rotating and revoking an API credential.
 */
const EXCEPTIONS: Record<string, string> = {
  'POST /proton/v1/card_authorization': 'create',
  'POST /nucleus/v1/card/:card_id/transaction': 'read',
  'POST /nucleus/v1/portfolio_transaction_by_post': 'read',
  'POST /nucleus/v1/decision_tree_result': 'read',
  'POST /admin/v1/client_credentials': 'update',
  'POST /admin/v1/api_credential/:credential_id/rotate': 'update',
  'POST /admin/v1/api_credential/:credential_id/revoke': 'update',
  'POST /admin/v1/tenant/reset': 'delete',
};

/**
 * The scope a request needs, from its method and its route's URL pattern (prefix included).
 * Only a POST's depends on its route, so only a POST asks for it: reading it costs an object.
 */
function requiredScope(method: string, routeUrl: () => string | undefined): { needed: string; url?: string } {
  if (method !== 'POST') {
    // Only the methods above have routes; anything else is answered 404 or 405 after this.
    return { needed: BY_METHOD[method] ?? 'create' };
  }
  const url = routeUrl();
  const exception = url === undefined ? undefined : EXCEPTIONS[`${method} ${url}`];
  return { needed: exception ?? (url?.startsWith('/proton/v1/') ? 'read' : 'create'), url };
}

/** The refusal of a request whose token was not granted the scope the request needs, or undefined when it was. */
export function scopeRefusal(scopes: readonly string[], method: string, routeUrl: () => string | undefined): ApiError | undefined {
  const { needed, url = routeUrl() } = requiredScope(method, routeUrl);
  if (scopes.includes(needed)) return undefined;
  const held = scopes.length > 0 ? scopes.join(' ') : 'none';
  return errors.insufficientScope({ reason: `${method} ${url ?? 'this path'} needs the "${needed}" scope; the access token has: ${held}`, headers: { 'www-authenticate': `Bearer realm="deuterium", error="insufficient_scope", scope="${needed}"` } });
}
