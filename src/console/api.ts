import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

/** The error shape every API answers with (and the OAuth endpoints' error and error_description). */
export interface ApiProblem {
  status?: number;
  code?: string;
  message?: string;
  field?: string;
  error?: string;
  error_description?: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * The API refused the session's token (a 401 with a Bearer challenge), so the session is over.
 * Other 401s are answers, such as Hydro's "not verified", and are shown as they are.
 */
export class TokenRejected extends Error {}

function searchOf(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls the server's own HTTP APIs in process, as the browser's user: with the session's token
 * and from the browser's address, so the APIs' access rules, allowlists, rate limits and audit
 * trail see the user as they would see any other caller.
 */
export class ConsoleApi {
  constructor(
    private readonly app: FastifyInstance,
    private readonly request: FastifyRequest,
    private readonly authorization: string | undefined,
    /** A signed-in session's token, whose refusal ends the session; not an mfa_token, which is refused once spent. */
    private readonly endsSession = false,
  ) {}

  static asUser(app: FastifyInstance, request: FastifyRequest, token: string): ConsoleApi {
    return new ConsoleApi(app, request, `Bearer ${token}`, true);
  }

  static withMfaToken(app: FastifyInstance, request: FastifyRequest, mfaToken: string): ConsoleApi {
    return new ConsoleApi(app, request, `Bearer ${mfaToken}`);
  }

  async call<T = any>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { query?: Query; body?: unknown } = {}): Promise<ApiAnswer<T>> {
    const answer = await this.send(method, path + searchOf(options.query), options.body === undefined ? undefined : JSON.stringify(options.body), 'application/json');
    if (answer.status === 401 && this.endsSession && answer.bearerChallenge) throw new TokenRejected();
    return { status: answer.status, body: answer.body as T };
  }

  /** A token grant, with the given Basic credentials and form parameters. */
  static async grant(app: FastifyInstance, request: FastifyRequest, credential: { clientId: string; clientSecret: string }, params: Record<string, string>): Promise<ApiAnswer> {
    const basic = `Basic ${Buffer.from(`${credential.clientId}:${credential.clientSecret}`).toString('base64')}`;
    const { status, body } = await new ConsoleApi(app, request, basic).send('POST', '/authorization/v1/oauth/token', new URLSearchParams(params).toString(), 'application/x-www-form-urlencoded');
    return { status, body };
  }

  private async send(method: string, url: string, payload: string | undefined, contentType: string): Promise<ApiAnswer & { bearerChallenge: boolean }> {
    const headers: Record<string, string> = { 'x-request-id': `${this.request.id}-api` };
    if (this.authorization) headers.authorization = this.authorization;
    if (payload !== undefined) headers['content-type'] = contentType;
    const response = await this.app.inject({ method: method as 'GET', url, headers, payload, remoteAddress: this.request.ip });
    const text = response.body;
    let body: unknown = text;
    if (text && (response.headers['content-type'] ?? '').toString().includes('json')) body = JSON.parse(text);
    return { status: response.statusCode, body, bearerChallenge: /^Bearer\b/i.test(String(response.headers['www-authenticate'] ?? '')) };
  }
}

/** The sentence to show for a refusal: the API's own message, with the field it names. */
export function problemText(answer: ApiAnswer<unknown>): string {
  const body: ApiProblem = typeof answer.body === 'object' && answer.body !== null ? answer.body : {};
  const message = body.message ?? body.error_description ?? `The API answered ${answer.status}`;
  return message;
}
