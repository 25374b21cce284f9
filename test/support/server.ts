import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { bootstrapFirstTenant, createCredential, createTenant } from '../../src/platform/auth/credentials.ts';
import type { Authority } from '../../src/platform/auth/authorities.ts';
import { buildApp } from '../../src/app.ts';
import { postgresTemplate } from './database-template.ts';

export const ADMIN_CLIENT_ID = 'test-admin';
export const ADMIN_CLIENT_SECRET = 'test-admin-secret';

export const UNREACHED_RATE_LIMITS: Config['rateLimits'] = { windowMs: 60_000, production: 1e9, sandbox: 1e9, token: 1e9 };

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** A bearer token; "admin" uses the super-admin's, null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON. */
  rawBody?: string;
}

export interface TestServer {
  url: string;
  db: Database;
  app: FastifyInstance;
  config: Config;
  /** A client_credentials token of the first tenant's super admin (cached). */
  adminToken(): Promise<string>;
  /** Obtains a token from the token endpoint with the given Basic credentials and parameters. */
  token(clientId: string, clientSecret: string, params: Record<string, string>): Promise<HttpResult>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  /** A second tenant with its own super-admin token, for isolation tests. */
  otherTenant(): Promise<{ tenantId: string; token: string }>;
  /** A credential in the first tenant with the given authorities. */
  credential(authorities: Authority[]): Promise<{ clientId: string; clientSecret: string }>;
  close(): Promise<void>;
}

/** The server the suite runs on: the embedded one `npm test` starts, or the one DATABASE_URL names. */
export function testServerUrl(): string {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('the tests need a PostgreSQL server: run them with `npm test [-- files]`, which starts one, or set DATABASE_URL');
  return base;
}

/**
 * A fresh database of its own on the suite's server, dropped by `drop`: empty, or already
 * migrated with the entity tables.
 */
export async function freshDatabase(kind: 'empty' | 'prepared' = 'empty'): Promise<{ db: Database; url: string; drop: () => Promise<void> }> {
  const base = testServerUrl();
  const name = `deuterium_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(kind === 'prepared' ? `CREATE DATABASE ${name} TEMPLATE ${await postgresTemplate(base)}` : `CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString());
  return {
    db,
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export async function startServer(overrides: Partial<Config> = {}, logStream?: DestinationStream): Promise<TestServer> {
  const { db, drop } = await freshDatabase('prepared');
  const config: Config = {
    ...loadConfig({}),
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    host: '127.0.0.1',
    port: 0,
    webhookAllowPrivate: true,
    // In memory: the default, DATA_DIR/hydro-chain, is the ./data that `npm start` keeps.
    hydroChainDir: null,
    // Counted as always, but high enough that only the tests of rate limits meet them.
    rateLimits: UNREACHED_RATE_LIMITS,
    ...overrides,
  };
  const bootstrap = await bootstrapFirstTenant(db, { adminClientId: ADMIN_CLIENT_ID, adminClientSecret: ADMIN_CLIENT_SECRET });
  if (!bootstrap) throw new Error('test database was not empty');
  // A server that fails to start must not leave its database open, or the test process never ends.
  const app = await buildApp({ config, db, logStream }).catch(async (error: unknown) => {
    await db.close();
    await drop();
    throw error;
  });
  // '::' or '0.0.0.0' when a test calls from several loopback addresses; 127.0.0.1 reaches either.
  await app.listen({ host: config.host, port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  const url = `http://127.0.0.1:${address.port}`;

  async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? await adminToken() : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(url + path, { method, headers, body: payload });
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: body as T };
  }

  async function token(clientId: string, clientSecret: string, params: Record<string, string>): Promise<HttpResult> {
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const query = new URLSearchParams(params).toString();
    return request('POST', `/authorization/v1/oauth/token?${query}`, { token: null, headers: { authorization: `Basic ${basic}` } });
  }

  let cachedAdminToken: string | undefined;
  async function adminToken(): Promise<string> {
    if (!cachedAdminToken) {
      const result = await token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' });
      if (result.status !== 200) throw new Error(`admin token: ${result.status} ${JSON.stringify(result.body)}`);
      cachedAdminToken = result.body.access_token as string;
    }
    return cachedAdminToken;
  }

  return {
    url,
    db,
    app,
    config,
    adminToken,
    token,
    request,
    async otherTenant() {
      const tenant = await createTenant(db, `other-${randomBytes(4).toString('hex')}`);
      const credential = await createCredential(db, tenant.id, { name: 'other admin', authorities: ['ROLE_SUPER_ADMIN'] });
      const result = await token(credential.client_id, credential.client_secret, { grant_type: 'client_credentials' });
      return { tenantId: tenant.id, token: result.body.access_token };
    },
    async credential(authorities) {
      const credential = await createCredential(db, bootstrap.tenant.id, { name: 'test credential', authorities });
      return { clientId: credential.client_id, clientSecret: credential.client_secret };
    },
    async close() {
      await app.close();
      await db.close();
      await drop();
    },
  };
}
