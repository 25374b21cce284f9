import os from 'node:os';
import type { RateLimitSettings } from './platform/rate-limit/rate-limits.ts';
import path from 'node:path';
import type { DeliveryTimings } from './platform/webhooks/timings.ts';
import { addressProblem } from './platform/credentials/allowlist.ts';
import { consoleSettings, type ConsoleSettings } from './console/settings.ts';
import { UUID } from './platform/entity/uuid.ts';

export type LogFormat = 'auto' | 'json' | 'pretty';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminClientId: string | undefined;
  adminClientSecret: string | undefined;
  logLevel: string;
  /** Log lines as JSON, or readable ones for a person (LOG_FORMAT; auto: readable only when standard output is a terminal). */
  logFormat: LogFormat;
  /** A second listener on 127.0.0.1 serving /metrics without a token (METRICS_PORT); null: /metrics only on the main port, with one. */
  metricsPort: number | null;
  tokenLifetimeSeconds: number;
  maxPageSize: number;
  /** Refuse unknown request body fields with a 400 instead of ignoring them as Hydrogen did (STRICT_REQUEST_FIELDS). */
  strictRequestFields: boolean;
  /** Lets webhooks point at loopback and private addresses; for tests and local development only. */
  webhookAllowPrivate: boolean;
  /** Replaces parts of the webhook delivery pacing; not read from the environment, tests set it to avoid real waits. */
  webhookTimings?: Partial<DeliveryTimings>;
  /** Pause before each bulk item (BULK_ITEM_DELAY_MS); a test and operations knob to slow bulk jobs down. */
  bulkItemDelayMs: number;
  /** How long a legacy /bulk_<entity> request waits for its job before answering 504 (LEGACY_BULK_WAIT_MS). */
  legacyBulkWaitMs: number;
  /** How often Electron's settlement worker looks for due ACH transfers and stalled movements (ELECTRON_POLL_INTERVAL_MS). */
  electronPollIntervalMs: number;
  /** How long the sandbox processor keeps an ACH transfer pending before it settles (SANDBOX_ACH_SETTLEMENT_MS). */
  sandboxAchSettlementMs: number;
  /** The card processor of every tenant not named in electronTenantProcessors (ELECTRON_PROCESSOR). */
  electronProcessor: string;
  /** Tenants served by another card processor, by tenant id (ELECTRON_TENANT_PROCESSORS, "tenant-id=name,..."). */
  electronTenantProcessors: Record<string, string>;
  /** How often expired tokens, keys, login failures and old webhook history are removed (RETENTION_INTERVAL_MS). */
  retentionIntervalMs: number;
  /** Days finished webhook deliveries and their events are kept (WEBHOOK_HISTORY_DAYS). */
  webhookHistoryDays: number;
  /** Hydro's chain: an Ethereum JSON-RPC node (HYDRO_RPC_URL), or the embedded chain when null. */
  hydroRpcUrl: string | null;
  /** The partner's key for a node (HYDRO_PRIVATE_KEY); the embedded chain makes its own. */
  hydroPrivateKey: `0x${string}` | null;
  /** The contracts on a node (HYDRO_TOKEN_ADDRESS, HYDRO_RAINDROP_ADDRESS, HYDRO_REGISTRY_ADDRESS). */
  hydroContracts: { token: `0x${string}`; raindrop: `0x${string}`; registry: `0x${string}` } | null;
  /** Where the embedded chain keeps its state (HYDRO_CHAIN_DIR, default DATA_DIR/hydro-chain); null keeps it in memory. */
  hydroChainDir: string | null;
  /** How long a submitted signature can be verified (HYDRO_SIGNATURE_WINDOW_SECONDS). */
  hydroSignatureWindowSeconds: number;
  /** How long a client has to send a whole request, body included (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** How long a client has to send a request's line and headers (HEADERS_TIMEOUT_MS); at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** How long an idle kept-alive connection stays open for the next request (KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
  /** HTTP worker processes sharing the port (WORKERS, default the number of cores); see platform/process/cluster.ts. */
  workers: number;
  /** PostgreSQL connections each server process may open (POOL_SIZE). */
  poolSize: number;
  /**
   * When X-Forwarded-For is believed for the caller's address (TRUST_PROXY), as Fastify's
   * trustProxy takes it: false, a hop count, or the proxies' addresses and ranges.
   */
  trustProxy: false | number | string[];
  /** Requests per window: RATE_LIMIT, SANDBOX_RATE_LIMIT, TOKEN_RATE_LIMIT, RATE_LIMIT_WINDOW_SECONDS. */
  rateLimits: RateLimitSettings;
  /** The web console's sessions: CONSOLE_SESSION_IDLE_SECONDS, CONSOLE_SESSION_MAX_SECONDS. */
  console: ConsoleSettings;
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/** A count where 0 means none: a rate limit of 0 turns the limit off. */
function countSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be 0 (no limit) or a positive integer, got "${raw}"`);
  return value;
}

function rateLimitSettings(env: NodeJS.ProcessEnv): RateLimitSettings {
  return {
    windowMs: intSetting(env, 'RATE_LIMIT_WINDOW_SECONDS', 60) * 1000,
    production: countSetting(env, 'RATE_LIMIT', 6000),
    sandbox: countSetting(env, 'SANDBOX_RATE_LIMIT', 1200),
    token: countSetting(env, 'TOKEN_RATE_LIMIT', 60),
  };
}

function booleanSetting(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

function logFormatSetting(raw: string | undefined): LogFormat {
  const value = raw || 'auto';
  if (value !== 'auto' && value !== 'json' && value !== 'pretty') throw new Error(`LOG_FORMAT must be auto, json or pretty, got "${raw}"`);
  return value;
}

const HEX_KEY = /^0x[0-9a-fA-F]{64}$/;
const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function hydroNodeSettings(env: NodeJS.ProcessEnv): Pick<Config, 'hydroRpcUrl' | 'hydroPrivateKey' | 'hydroContracts'> {
  const url = env.HYDRO_RPC_URL || null;
  if (!url) return { hydroRpcUrl: null, hydroPrivateKey: null, hydroContracts: null };
  if (!/^https?:\/\//.test(url)) throw new Error(`HYDRO_RPC_URL must be an http(s) URL, got "${url}"`);
  const key = env.HYDRO_PRIVATE_KEY ?? '';
  if (!HEX_KEY.test(key)) throw new Error('HYDRO_PRIVATE_KEY must be 0x and 64 hex digits when HYDRO_RPC_URL is set');
  const address = (name: string): `0x${string}` => {
    const value = env[name] ?? '';
    if (!HEX_ADDRESS.test(value)) throw new Error(`${name} must be 0x and 40 hex digits when HYDRO_RPC_URL is set, got "${value}"`);
    return value as `0x${string}`;
  };
  return {
    hydroRpcUrl: url,
    hydroPrivateKey: key as `0x${string}`,
    hydroContracts: { token: address('HYDRO_TOKEN_ADDRESS'), raindrop: address('HYDRO_RAINDROP_ADDRESS'), registry: address('HYDRO_REGISTRY_ADDRESS') },
  };
}

function tenantProcessors(env: NodeJS.ProcessEnv): Record<string, string> {
  const raw = env.ELECTRON_TENANT_PROCESSORS ?? '';
  const choices: Record<string, string> = {};
  for (const pair of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [tenant, name, extra] = pair.split('=').map((part) => part.trim());
    if (!tenant || !UUID.test(tenant) || !name || extra !== undefined) {
      throw new Error(`ELECTRON_TENANT_PROCESSORS must be "tenant-id=processor" pairs separated by commas, got "${pair}"`);
    }
    choices[tenant.toLowerCase()] = name;
  }
  return choices;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intSetting(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    adminClientId: env.ADMIN_CLIENT_ID || undefined,
    adminClientSecret: env.ADMIN_CLIENT_SECRET || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: logFormatSetting(env.LOG_FORMAT),
    metricsPort: env.METRICS_PORT ? intSetting(env, 'METRICS_PORT', 0) : null,
    tokenLifetimeSeconds: intSetting(env, 'TOKEN_LIFETIME_SECONDS', 86400),
    maxPageSize: intSetting(env, 'MAX_PAGE_SIZE', 10000),
    strictRequestFields: booleanSetting(env, 'STRICT_REQUEST_FIELDS'),
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
    bulkItemDelayMs: intSetting(env, 'BULK_ITEM_DELAY_MS', 0),
    legacyBulkWaitMs: intSetting(env, 'LEGACY_BULK_WAIT_MS', 60_000),
    electronPollIntervalMs: intSetting(env, 'ELECTRON_POLL_INTERVAL_MS', 1000),
    sandboxAchSettlementMs: intSetting(env, 'SANDBOX_ACH_SETTLEMENT_MS', 10_000),
    electronProcessor: env.ELECTRON_PROCESSOR || 'sandbox',
    electronTenantProcessors: tenantProcessors(env),
    retentionIntervalMs: intSetting(env, 'RETENTION_INTERVAL_MS', 60 * 60 * 1000),
    webhookHistoryDays: intSetting(env, 'WEBHOOK_HISTORY_DAYS', 30),
    ...hydroNodeSettings(env),
    hydroChainDir: path.resolve(env.HYDRO_CHAIN_DIR || path.join(env.DATA_DIR || './data', 'hydro-chain')),
    hydroSignatureWindowSeconds: intSetting(env, 'HYDRO_SIGNATURE_WINDOW_SECONDS', 90),
    ...socketTimeouts(env),
    ...processSettings(env),
    trustProxy: trustProxySetting(env.TRUST_PROXY),
    rateLimits: rateLimitSettings(env),
    console: consoleSettings(env),
  };
}

/** proxy-addr's names for the usual private ranges, which Fastify's trustProxy accepts too. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Off unless set: believing X-Forwarded-For from anyone would let every caller pick the
 * address that IP allowlists and failed-secret lockouts see.
 */
function trustProxySetting(raw: string | undefined): Config['trustProxy'] {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 100) throw new Error(`TRUST_PROXY must be a hop count from 1 to 100 or a list of addresses, got "${raw}"`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const problem = PROXY_RANGE_NAMES.includes(entry) ? undefined : addressProblem(entry);
    if (problem) throw new Error(`TRUST_PROXY: "${entry}" ${problem}; give a hop count or proxy addresses and ranges separated by commas`);
  }
  return entries;
}

/**
 * The PostgreSQL server refuses connections past its max_connections (100 unless set), so
 * the default pool shrinks as workers are added: 10 each up to 8 workers, never under 2.
 */
const CONNECTIONS_FOR_ALL_WORKERS = 80;

function processSettings(env: NodeJS.ProcessEnv): Pick<Config, 'workers' | 'poolSize'> {
  const workers = intSetting(env, 'WORKERS', os.availableParallelism());
  const poolSize = intSetting(env, 'POOL_SIZE', Math.max(2, Math.min(10, Math.floor(CONNECTIONS_FOR_ALL_WORKERS / workers))));
  return { workers, poolSize };
}

function socketTimeouts(env: NodeJS.ProcessEnv): Pick<Config, 'requestTimeoutMs' | 'headersTimeoutMs' | 'keepAliveTimeoutMs'> {
  const requestTimeoutMs = intSetting(env, 'REQUEST_TIMEOUT_MS', 30_000);
  const headersTimeoutMs = intSetting(env, 'HEADERS_TIMEOUT_MS', 10_000);
  // Node cuts a request off at whichever comes first, so a longer headers timeout would mislead.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new Error(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs: intSetting(env, 'KEEP_ALIVE_TIMEOUT_MS', 72_000) };
}
