import type { DestinationStream, LoggerOptions } from 'pino';
import type { LogFormat } from '../../config.ts';

/**
 * Query parameters that carry a secret: Hydrogen's password grant sends the password in the
 * query string, and the token endpoint takes every grant's parameters there.
 */
export const SECRET_QUERY_PARAMS = ['password', 'client_secret', 'mfa_token', 'otp', 'recovery_code', 'refresh_token', 'access_token'];

const SECRET_PARAMS = new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&]*`, 'gi');

/** A request's URL with the values of those parameters replaced. */
function redactSecretParams(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/** Fields that hold a secret, by the names the API and its code give them. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'new_password',
  'current_password',
  'client_secret',
  'secret',
  'access_token',
  'refresh_token',
  'mfa_token',
  'totp_secret',
  'otp',
  'recovery_code',
  'recovery_codes',
];

/** Where a logged object may carry them: at its top, or in a request's parts or an error. */
const SECRET_HOLDERS = ['body', 'query', 'headers', 'params', 'details', 'input', 'request', 'response', 'err'];

/**
 * Blanks secrets in whatever a log line is given, as a second line of defence: the request
 * serializer below never logs headers or bodies, and no code logs a secret on purpose (the test
 * of redaction drives every secret-bearing request at LOG_LEVEL=trace and searches the lines).
 * Every path starts with a name, none with a wildcard: pino then redacts only the objects logged
 * under those names, and leaves the bindings every request's logger is made with (its id, its
 * caller) to plain JSON, a wildcard would cost each request a redacting pass over them.
 */
const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_HOLDERS.flatMap((holder) => SECRET_FIELDS.map((field) => `${holder}.${field}`)),
  ...['req', 'request', 'err.config', 'err.request', 'err.response'].flatMap((holder) => [`${holder}.headers.authorization`, `${holder}.headers.cookie`]),
  'headers["client-token"]',
  'req.headers["client-token"]',
];

/** The logger settings of every server process, its primary's included. */
export function logOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: redactSecretParams(req.url),
        remoteAddress: req.ip,
      }),
    },
  };
}

/** Readable lines for a person at a terminal; JSON for everything that reads logs (a collector, a file, a test). */
export function readableLogs(format: LogFormat, isTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTerminal);
}

/** Where a process's log lines go: through pino-pretty to standard output when readable, else standard output as JSON (undefined). */
export async function logDestination(format: LogFormat): Promise<DestinationStream | undefined> {
  if (!readableLogs(format, process.stdout.isTTY === true)) return undefined;
  // Loaded only when used: a server writing JSON never needs it.
  const { default: pretty } = await import('pino-pretty');
  return pretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'hostname', sync: true });
}
