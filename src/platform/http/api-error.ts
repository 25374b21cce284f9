/** A field inside another as error bodies name it: "address" and "city" make "address.city". */
export function nestedField(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/** One problem with one input field, as reported in an error body. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The coarse kinds of error, for clients that handle whole families alike (in the manner of
 * Stripe's error types); `code` says exactly which.
 */
export const ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'idempotency_error',
  'card_error',
  'rate_limit_error',
  'api_error',
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

/** What an error may carry beside its message: the input at fault, and headers of its answer. */
export interface ErrorDetails {
  field?: string;
  problems?: FieldProblem[];
  headers?: Record<string, string>;
}

/**
 * An error that reaches the client as-is. Everything else thrown is a bug and becomes a 500
 * with no internals exposed. Built only by the catalogue (errors.ts), so each code has one
 * status and type.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: ErrorType;
  readonly field?: string;
  readonly problems?: FieldProblem[];
  readonly headers?: Record<string, string>;

  constructor(kind: { status: number; code: string; type: ErrorType }, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = kind.status;
    this.code = kind.code;
    this.type = kind.type;
    this.field = details.field;
    this.problems = details.problems;
    this.headers = details.headers;
  }
}

export interface ErrorBody {
  status: number;
  code: string;
  type: ErrorType;
  message: string;
  field?: string;
  errors?: FieldProblem[];
  request_id: string;
}

/** The one shape of every error answer, also kept for a bulk item to answer later. */
export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    status: error.status,
    code: error.code,
    type: error.type,
    message: error.message,
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error.problems && error.problems.length > 0 ? { errors: error.problems } : {}),
    request_id: requestId,
  };
}
