export type SourceRecord = Record<string, unknown> & { id: string; create_date: string; update_date: string };

/** The parts of a Spring page the importer reads. */
export interface SourcePage {
  content: SourceRecord[];
  last: boolean;
  total_elements: number;
}

export interface RetryPolicy {
  /** Attempts of one request before the run stops (its checkpoint lets the next run go on). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 500, maxDelayMs: 60_000 };

export class SourceError extends Error {}

/** Waits asked for by the source (429, 5xx) or caused by the network, for the progress display. */
export type WaitNotice = (why: string, ms: number) => void;

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Exponential backoff with full jitter, so several importers (or workers) do not retry in step. */
function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads a Hydrogen-compatible server through its public API only, with a client_credentials
 * token, as any API client of it would: the source needs nothing installed or opened for the move.
 */
export class SourceReader {
  private token: string | undefined;
  private tokenExpiresAt = 0;
  readonly base: string;

  constructor(
    base: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly onWait: WaitNotice = () => {},
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  /** One page of an entity's list, in ascending update_date, from `since` on when given. */
  async page(path: string, page: number, size: number, since: string | null): Promise<SourcePage> {
    const query = new URLSearchParams({ page: String(page), size: String(size), order_by: 'update_date', ascending: 'true' });
    if (since) query.set('filter', `update_date=ge=${since}`);
    const response = await this.authorized(`${this.base}/nucleus/v1/${path}?${query}`);
    if (!response.ok) throw new SourceError(`GET /nucleus/v1/${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    const body = (await response.json()) as Partial<SourcePage>;
    if (!Array.isArray(body.content)) throw new SourceError(`GET /nucleus/v1/${path} did not answer a page (no "content")`);
    return { content: body.content, last: body.last ?? body.content.length < size, total_elements: body.total_elements ?? 0 };
  }

  /** Whether the source still has a record, to tell a reference it broke from one not yet imported. */
  async has(path: string, id: string): Promise<boolean> {
    const response = await this.authorized(`${this.base}/nucleus/v1/${path}/${encodeURIComponent(id)}`);
    await response.body?.cancel();
    if (response.status === 404) return false;
    if (!response.ok) throw new SourceError(`GET /nucleus/v1/${path}/${id} answered ${response.status}`);
    return true;
  }

  private async authorized(url: string): Promise<Response> {
    for (let renewed = false; ; renewed = true) {
      const token = await this.currentToken();
      const response = await this.fetchWithRetry(url, { headers: { authorization: `Bearer ${token}` } });
      // A token can end before its announced lifetime (revoked, server restarted): one new try.
      if (response.status !== 401 || renewed) return response;
      await response.body?.cancel();
      this.token = undefined;
    }
  }

  private async currentToken(): Promise<string> {
    if (this.token && Date.now() < this.tokenExpiresAt) return this.token;
    const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
    const response = await this.fetchWithRetry(`${this.base}/authorization/v1/oauth/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
    if (!response.ok || !body.access_token) {
      throw new SourceError(`The source refused the client id and secret (${response.status}); they need a credential of the source tenant that may read every entity`);
    }
    this.token = body.access_token;
    // Renewed a minute early, so a page is never asked for with a token about to end.
    this.tokenExpiresAt = Date.now() + Math.max(0, (body.expires_in ?? 3600) - 60) * 1000;
    return this.token;
  }

  /** A request, retried on 429, 5xx and network faults, waiting as long as Retry-After asks when it does. */
  private async fetchWithRetry(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let why: string;
      let waitMs: number | undefined;
      try {
        const response = await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) });
        if (response.status !== 429 && response.status < 500) return response;
        why = `source answered ${response.status}`;
        waitMs = retryAfterMs(response.headers.get('retry-after'));
        await response.body?.cancel();
      } catch (error) {
        why = `source unreachable (${(error as Error).message})`;
      }
      if (attempt + 1 >= this.policy.attempts) throw new SourceError(`${why}, ${this.policy.attempts} attempts`);
      // A wait the source asks for is honoured in full; a little jitter spreads the retries of several readers.
      const ms = waitMs === undefined ? backoffMs(this.policy, attempt) : waitMs + Math.random() * 250;
      this.onWait(why, ms);
      await sleep(ms);
    }
  }
}
