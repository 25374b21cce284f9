import { createHash, randomUUID } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';

/**
 * The floor of the bench's request paths: a bare Fastify + pg server doing the SQL work
 * Deuterium does for them, against the same database, tables and rows, with nothing else (no
 * validation, access rules, hooks or response schemas). Deuterium's throughput is read as a
 * ratio to this one's. Run as its own process by bench/main.ts: DATABASE_URL names the
 * database, and the port it listens on is printed as one JSON line.
 */

// As Deuterium's pool: big integers and decimals as strings, ten connections.
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? (v: string) => v : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig,
});

interface Caller {
  tenantId: string;
  credentialId: string;
  clientId: string | null;
  authorities: string[];
  scopes: string[];
}

/**
 * The token check Deuterium does: the same query on the token's SHA-256, its answer kept for
 * 2 seconds as Deuterium's token cache keeps it, so that most requests cost no query in
 * either server.
 */
const tokens = new Map<string, { caller: Caller; until: number }>();
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

async function caller(request: FastifyRequest, reply: FastifyReply, scope: string): Promise<Caller | undefined> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match) return void reply.code(401).send({ message: 'unauthorized' });
  const hash = createHash('sha256').update(match[1]).digest('hex');
  const now = Date.now();
  let known = tokens.get(hash);
  if (!known || known.until <= now) {
    const { rows } = await pool.query({
      name: 'token',
      text: `SELECT t.tenant_id, t.credential_id, t.nucleus_client_id, t.authorities, t.scope, t.expires_at
             FROM access_token t JOIN api_credential c ON c.tenant_id = t.tenant_id AND c.id = t.credential_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND c.is_active`,
      values: [hash],
    });
    const row = rows[0];
    if (!row) return void reply.code(401).send({ message: 'unauthorized' });
    const caller = { tenantId: row.tenant_id, credentialId: row.credential_id, clientId: row.nucleus_client_id, authorities: row.authorities, scopes: row.scope.split(' ') };
    known = { caller, until: Math.min(now + 2000, new Date(row.expires_at).getTime()) };
    tokens.set(hash, known);
  }
  if (!known.caller.scopes.includes(scope)) return void reply.code(403).send({ message: 'insufficient_scope' });
  return known.caller;
}

interface Row {
  id: string;
  create_date: Date;
  update_date: Date;
  doc: Record<string, unknown>;
}

function record(row: Row) {
  return { id: row.id, create_date: row.create_date.toISOString(), update_date: row.update_date.toISOString(), ...row.doc };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));

app.get<{ Params: { id: string } }>('/nucleus/v1/client/:id', async (request, reply) => {
  const who = await caller(request, reply, 'read');
  if (!who) return reply;
  if (!UUID.test(request.params.id)) return reply.code(400).send({ message: 'client_id must be a uuid' });
  const { rows } = await pool.query<Row>({
    name: 'get',
    text: 'SELECT id, create_date, update_date, doc FROM nucleus_client WHERE tenant_id = $1 AND id = $2',
    values: [who.tenantId, request.params.id],
  });
  if (rows.length === 0) return reply.code(404).send({ message: 'not found' });
  return record(rows[0]);
});

app.get<{ Querystring: { page?: string; size?: string } }>('/nucleus/v1/client', async (request, reply) => {
  const who = await caller(request, reply, 'read');
  if (!who) return reply;
  const page = Number(request.query.page ?? 0);
  const size = Number(request.query.size ?? 25);
  const count = await pool.query<{ count: string }>({
    name: 'count',
    text: 'SELECT count(*) AS count FROM nucleus_client WHERE tenant_id = $1',
    values: [who.tenantId],
  });
  const { rows } = await pool.query<Row>({
    name: 'page',
    text: `SELECT id, create_date, update_date, doc FROM nucleus_client WHERE tenant_id = $1
           ORDER BY update_date DESC, id DESC LIMIT $2 OFFSET $3`,
    values: [who.tenantId, size, page * size],
  });
  const total = Number(count.rows[0].count);
  const totalPages = Math.ceil(total / size);
  return {
    content: rows.map(record),
    first: page === 0,
    last: page >= totalPages - 1,
    number_of_elements: rows.length,
    total_elements: total,
    total_pages: totalPages,
    size,
    number: page,
    sort: [{ direction: 'DESC', property: 'update_date', ignore_case: false, null_handling: 'NATIVE', ascending: false, descending: true }],
  };
});

/**
 * The client, its audit record and its webhook outbox rows (an event, and a delivery and its
 * job per active webhook subscribed to clients, as Deuterium's outbox statement writes them) in one
 * transaction, and in one statement, which is the least a database can be asked for them.
 */
const CREATE = `
  WITH created AS (
    INSERT INTO nucleus_client (tenant_id, id, create_date, update_date, doc) VALUES ($1, $2, $3, $3, $4::jsonb)
    RETURNING id, create_date, update_date, doc
  ), audit AS (
    INSERT INTO nucleus_audit_log (tenant_id, id, create_date, update_date, doc) VALUES ($1, $5, $3, $3, $6::jsonb)
  ), subscriber AS (
    SELECT w.id FROM nucleus_webhook w
    WHERE w.tenant_id = $1 AND COALESCE((w.doc->>'is_active')::boolean, true) AND w.doc->'atom_service' @> '["client"]'
  ), event AS (
    INSERT INTO webhook_event (tenant_id, id, service, action, entity, record_id, payload)
    SELECT $1, $7, 'client', 'create', 'client', $2, $8 WHERE EXISTS (SELECT 1 FROM subscriber)
    RETURNING id
  ), delivery AS (
    INSERT INTO webhook_delivery (tenant_id, id, webhook_id, event_id, status, next_attempt_at)
    SELECT $1, gen_random_uuid(), s.id, e.id, 'pending', now() FROM subscriber s CROSS JOIN event e
    RETURNING tenant_id, id
  ), delivery_job AS (
    INSERT INTO job (tenant_id, id, kind, payload) SELECT tenant_id, id, 'webhook-delivery', '{}' FROM delivery
    ON CONFLICT (tenant_id, id) DO UPDATE SET update_date = now()
  )
  SELECT id, create_date, update_date, doc FROM created`;

app.post<{ Body: Record<string, unknown> }>('/nucleus/v1/client', async (request, reply) => {
  const who = await caller(request, reply, 'create');
  if (!who) return reply;
  const doc = { ...request.body, is_active: request.body.is_active ?? true, is_verified: request.body.is_verified ?? false };
  const id = randomUUID();
  const now = new Date();
  const created = { id, create_date: now.toISOString(), update_date: now.toISOString(), ...doc };
  const audit = {
    request_url: request.url,
    request: JSON.stringify({
      method: request.method,
      credential_id: who.credentialId,
      user_client_id: who.clientId,
      authorities: who.authorities,
      request_id: request.id,
      body: doc,
    }),
    response: '201',
    client_ids: [id],
  };
  try {
    const { rows } = await pool.query<Row>({
      name: 'create',
      text: CREATE,
      values: [who.tenantId, id, now, JSON.stringify(doc), randomUUID(), JSON.stringify(audit), randomUUID(), JSON.stringify(created)],
    });
    return reply.code(201).send(record(rows[0]));
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return reply.code(409).send({ message: 'duplicate' });
    throw error;
  }
});

await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
