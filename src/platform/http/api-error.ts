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
 * An error that reaches the client as-is. Everything else thrown is a bug and becomes a 500
 * with no internals exposed.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly problems?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(code: string, message: string, field?: string): ApiError {
    return new ApiError(400, code, message, field);
  }

  static invalidField(field: string, message: string): ApiError {
    return new ApiError(400, 'invalid_field', `${field}: ${message}`, field, [{ field, message }]);
  }

  /** The one answer to input that fails a check, naming the first field in its message ("Invalid request body: amount ..."). */
  static invalidInput(part: string, problems: FieldProblem[]): ApiError {
    const first = problems[0];
    const message = first ? `Invalid ${part}: ${first.field ? `${first.field} ` : ''}${first.message}` : `Invalid ${part}`;
    return new ApiError(400, 'invalid_request', message, first?.field || undefined, problems);
  }

  static notFound(message: string): ApiError {
    return new ApiError(404, 'not_found', message);
  }

  static unauthorized(message: string): ApiError {
    return new ApiError(401, 'unauthorized', message, undefined, undefined, {
      'www-authenticate': 'Bearer realm="deuterium"',
    });
  }
}

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  field?: string;
  errors?: FieldProblem[];
  request_id: string;
}
