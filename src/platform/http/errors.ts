import { ApiError, type ErrorDetails, type ErrorType, type FieldProblem } from './api-error.ts';

/** One error a client can receive: its status, stable code, coarse type and how its message reads. */
export interface ErrorEntry<P> {
  readonly status: number;
  readonly code: string;
  readonly type: ErrorType;
  (params: P & ErrorDetails): ApiError;
}

/** The free-text explanation most errors carry: each site knows best what was refused and why. */
interface Reason {
  reason: string;
}

function define<P extends object = Reason>(
  status: number,
  code: string,
  type: ErrorType,
  message: (params: P) => string = (params) => (params as unknown as Reason).reason,
  details: (params: P) => ErrorDetails = () => ({}),
): ErrorEntry<P> {
  const entry = (params: P & ErrorDetails) => {
    const { field, problems, headers } = { ...details(params), ...params };
    return new ApiError({ status, code, type }, message(params), { field, problems, headers });
  };
  return Object.assign(entry, { status, code, type });
}

const fixed = (text: string) => () => text;
const retryAfter = (seconds: number) => () => ({ headers: { 'retry-after': String(seconds) } });

/** A refusal of one field: the message leads with the field, and the details name it as the one problem. */
interface OneField {
  field: string;
  problem: string;
}
const oneFieldMessage = ({ field, problem }: OneField) => `${field}: ${problem}`;
const oneFieldDetails = ({ field, problem }: OneField) => ({ field, problems: [{ field, message: problem }] });

/**
 * Every error the API answers with, declared once, in the manner of Fastify's lib/errors.js.
 * Codes and statuses are part of the contract: clients match on them, so they never change.
 */
export const errors = {
  // 400: the request itself is wrong
  invalidRequest: define<{ part: string; problems: FieldProblem[] }>(
    400,
    'invalid_request',
    'invalid_request_error',
    ({ part, problems: [first] }) => (first ? `Invalid ${part}: ${first.field ? `${first.field} ` : ''}${first.message}` : `Invalid ${part}`),
    ({ problems }) => ({ field: problems[0]?.field || undefined, problems }),
  ),
  invalidField: define<OneField>(400, 'invalid_field', 'invalid_request_error', oneFieldMessage, oneFieldDetails),
  invalidFilter: define<{ problem: string }>(
    400,
    'invalid_filter',
    'invalid_request_error',
    ({ problem }) => oneFieldMessage({ field: 'filter', problem }),
    ({ problem }) => oneFieldDetails({ field: 'filter', problem }),
  ),
  referenceNotFound: define<{ field: string; target: string; id: string }>(
    400,
    'reference_not_found',
    'invalid_request_error',
    ({ field, target, id }) => `${field}: no ${target} with id ${id}`,
    ({ field, target, id }) => ({ field, problems: [{ field, message: `no ${target} with id ${id}` }] }),
  ),
  weakPassword: define<OneField>(400, 'weak_password', 'invalid_request_error', oneFieldMessage, oneFieldDetails),
  invalidJson: define<{ problem: string }>(400, 'invalid_json', 'invalid_request_error', ({ problem }) => `The request body is not valid JSON: ${problem}`),
  badUrl: define<object>(400, 'bad_url', 'invalid_request_error', fixed('The URL is not validly percent-encoded')),
  badRequest: define(400, 'bad_request', 'invalid_request_error'),
  outOfRange: define(400, 'out_of_range', 'invalid_request_error'),
  invalidIdempotencyKey: define(400, 'invalid_idempotency_key', 'idempotency_error'),
  invalidCredentials: define<object>(400, 'invalid_credentials', 'authentication_error', fixed('The username or current_password is not correct')),
  invalidCode: define(400, 'invalid_code', 'authentication_error'),
  raindropNotVerified: define(400, 'raindrop_not_verified', 'authentication_error'),
  hydroIdNotRegistered: define(400, 'hydro_id_not_registered', 'invalid_request_error'),
  unsupportedSpendingControl: define(400, 'unsupported_spending_control', 'card_error'),

  // 401, 403: who is asking, and what they may do
  // The token endpoints' refusals, in RFC 6749's terms; OAuth2Server raises most of them itself.
  invalidClient: define(401, 'invalid_client', 'authentication_error'),
  invalidGrant: define(400, 'invalid_grant', 'authentication_error'),
  invalidScope: define(400, 'invalid_scope', 'invalid_request_error'),
  unsupportedGrantType: define(400, 'unsupported_grant_type', 'invalid_request_error'),
  unauthorizedClient: define(400, 'unauthorized_client', 'permission_error'),
  mfaRequired: define(403, 'mfa_required', 'authentication_error'),
  unauthorized: define(401, 'unauthorized', 'authentication_error', undefined, () => ({
    headers: { 'www-authenticate': 'Bearer realm="deuterium"' },
  })),
  // Hydro's Raindrop checks that fail: 401 with verified or authenticated false, as Hydro answers.
  notRegistered: define(401, 'not_registered', 'authentication_error'),
  noSignature: define(401, 'no_signature', 'authentication_error'),
  messageSpent: define(401, 'message_spent', 'authentication_error'),
  notWhitelisted: define(401, 'not_whitelisted', 'authentication_error'),
  noChallenge: define(401, 'no_challenge', 'authentication_error'),
  notAuthenticated: define(401, 'not_authenticated', 'authentication_error'),
  wrongChallenge: define(401, 'wrong_challenge', 'authentication_error'),
  wrongAmount: define(401, 'wrong_amount', 'authentication_error'),
  expired: define(401, 'expired', 'authentication_error'),
  forbidden: define(403, 'forbidden', 'permission_error'),
  insufficientScope: define(403, 'insufficient_scope', 'permission_error'),
  sandboxOnly: define(403, 'sandbox_only', 'permission_error'),
  ipNotAllowed: define(403, 'ip_not_allowed', 'permission_error'),
  appNotAllowed: define(403, 'app_not_allowed', 'permission_error'),

  // 404, 405, 413, 414, 415: what is asked for, and how
  notFound: define(404, 'not_found', 'invalid_request_error'),
  notEmbedded: define(404, 'not_embedded', 'invalid_request_error'),
  methodNotAllowed: define(405, 'method_not_allowed', 'invalid_request_error'),
  requestTimeout: define<object>(408, 'request_timeout', 'invalid_request_error', fixed('The request was not received in time')),
  bodyTooLarge: define<object>(413, 'body_too_large', 'invalid_request_error', fixed('The request body is too large')),
  uriTooLong: define<object>(414, 'uri_too_long', 'invalid_request_error', fixed('A path segment is longer than the 100 characters any id or name here takes')),
  unsupportedMediaType: define<object>(415, 'unsupported_media_type', 'invalid_request_error', fixed('Request bodies must be application/json')),
  headersTooLarge: define<object>(431, 'headers_too_large', 'invalid_request_error', fixed('The request line and headers exceed the 16 KB the server reads')),

  // 409: the state of things does not allow it
  duplicate: define(409, 'duplicate', 'invalid_request_error'),
  referenced: define(409, 'referenced', 'invalid_request_error'),
  credentialRevoked: define(409, 'credential_revoked', 'invalid_request_error'),
  noPendingEnrolment: define(409, 'no_pending_enrolment', 'invalid_request_error'),
  mfaNotEnrolled: define(409, 'mfa_not_enrolled', 'invalid_request_error'),
  webhookInactive: define(409, 'webhook_inactive', 'invalid_request_error'),
  deliveryBusy: define<object>(409, 'delivery_busy', 'invalid_request_error', fixed('This delivery is being attempted right now; try again when the attempt has finished')),
  idempotencyRequestInProgress: define(409, 'idempotency_request_in_progress', 'idempotency_error', undefined, retryAfter(1)),
  alreadyRecorded: define(409, 'already_recorded', 'invalid_request_error'),
  alreadyRegistered: define(409, 'already_registered', 'invalid_request_error'),
  alreadyWhitelisted: define(409, 'already_whitelisted', 'invalid_request_error'),
  hydroIdTaken: define(409, 'hydro_id_taken', 'invalid_request_error'),
  addressHasHydroId: define(409, 'address_has_hydro_id', 'invalid_request_error'),
  alreadyCardholder: define(409, 'already_cardholder', 'invalid_request_error'),
  notACardholder: define(409, 'not_a_cardholder', 'invalid_request_error'),
  alreadyEnforced: define(409, 'already_enforced', 'invalid_request_error'),
  cardNotIssued: define(409, 'card_not_issued', 'invalid_request_error'),
  fundingAlreadyUsed: define(409, 'funding_already_used', 'invalid_request_error'),
  fundingInProgress: define(409, 'funding_in_progress', 'invalid_request_error', undefined, retryAfter(1)),
  // A card processor's refusals, raised as ProcessorRefusal and answered by atProcessor.
  invalidCardState: define(409, 'invalid_card_state', 'card_error'),
  insufficientFunds: define(409, 'insufficient_funds', 'card_error'),
  reserveInsufficient: define(409, 'reserve_insufficient', 'card_error'),
  cardHasBalance: define(409, 'card_has_balance', 'card_error'),
  unknownCard: define(409, 'unknown_card', 'card_error'),
  unknownCardholder: define(409, 'unknown_cardholder', 'card_error'),
  unknownTransfer: define(409, 'unknown_transfer', 'card_error'),
  unknownSpendingControl: define(409, 'unknown_spending_control', 'card_error'),

  // 422: well-formed, but the data it needs is not there
  idempotencyKeyReused: define(422, 'idempotency_key_reused', 'idempotency_error'),
  missingPrice: define(422, 'missing_price', 'invalid_request_error'),
  missingBankLink: define(422, 'missing_bank_link', 'invalid_request_error'),
  missingModel: define(422, 'missing_model', 'invalid_request_error'),
  inactiveSetting: define(422, 'inactive_setting', 'invalid_request_error'),
  noHoldings: define(422, 'no_holdings', 'invalid_request_error'),
  oversold: define(422, 'oversold', 'invalid_request_error'),
  unknownSide: define(422, 'unknown_side', 'invalid_request_error'),

  // 429
  rateLimitExceeded: define(429, 'rate_limit_exceeded', 'rate_limit_error'),

  // 5xx: the server or what it depends on failed
  internalError: define<object>(500, 'internal_error', 'api_error', fixed('An unexpected error occurred; it has been logged')),
  bulkFailed: define(500, 'bulk_failed', 'api_error'),
  transactionReverted: define(502, 'transaction_reverted', 'api_error'),
  chainError: define(502, 'chain_error', 'api_error'),
  chainUnavailable: define<object>(503, 'chain_unavailable', 'api_error', fixed('The Ethereum chain Hydro runs on is unavailable; try again later')),
  processorUnavailable: define(503, 'processor_unavailable', 'api_error'),
  metricsUnavailable: define<object>(503, 'metrics_unavailable', 'api_error', fixed("The server processes' metrics could not be gathered; try again")),
  bulkPending: define(504, 'bulk_pending', 'api_error'),
} as const;

export type CatalogueEntry = (typeof errors)[keyof typeof errors];

const byCode = new Map<string, CatalogueEntry>(Object.values(errors).map((entry) => [entry.code, entry]));

/**
 * The entry of a code that reached us as data (a card processor's refusal, a bulk item's stored
 * error), so it answers with the catalogue's status and type.
 */
export function errorOfCode(code: string): CatalogueEntry | undefined {
  return byCode.get(code);
}

/**
 * An error that reached us as data and is answered again as it was stored (a bulk item's
 * refusal), with its own status, code and type and a message that says where it came from.
 */
export function storedError(stored: { status: number; code: string; type: ErrorType }, message: string, details: ErrorDetails = {}): ApiError {
  return new ApiError({ status: stored.status, code: stored.code, type: stored.type }, message, details);
}
