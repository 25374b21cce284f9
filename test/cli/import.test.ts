import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, cli } from './operator-tool.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { ALL_OPERATIONS, entityPath } from '../../src/platform/entity/declaration.ts';
import { durableStorage, type DurableStorage } from '../support/process.ts';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../support/server.ts';
import { addRows, fillSource, importStores } from '../support/import-source.ts';
import { holdLock } from '../support/held-lock.ts';

const LISTED = importStores.filter((s) => (s.declaration.operations ?? ALL_OPERATIONS).includes('list'));

/** A server on the target's database, to read what was imported as the team's API clients will. */
async function targetReader(db: Database, env: NodeJS.ProcessEnv, tenant: string) {
  const created = await cli(env, 'credential', 'create', '--tenant', tenant, '--authority', 'ROLE_SUPER_ADMIN', '--json');
  assert.equal(created.code, 0, created.err);
  const { client_id, client_secret } = JSON.parse(created.out);
  const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent', webhookAllowPrivate: true }, db });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  assert.ok(address && typeof address !== 'string');
  const url = `http://127.0.0.1:${address.port}`;
  const granted = await fetch(`${url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` },
  });
  const token = ((await granted.json()) as { access_token: string }).access_token;
  return {
    get: async (path: string) => {
      const response = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: (await response.json()) as any };
    },
    close: () => app.close(),
  };
}

type Reader = { get: (path: string) => Promise<{ status: number; body: any }> };

function sourceReader(source: TestServer): Reader {
  return { get: (path) => source.request('GET', path) };
}

/** Every record of an entity, in id order, as the list endpoint answers it. */
async function all(reader: Reader, path: string): Promise<any[]> {
  const answer = await reader.get(`/nucleus/v1/${path}?page=0&size=10000&order_by=id&ascending=true`);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.total_elements, answer.body.content.length, `${path}: the count kept of its rows`);
  return answer.body.content;
}

async function assertSameRecords(source: Reader, target: Reader): Promise<void> {
  for (const store of LISTED) {
    const path = entityPath(store.declaration);
    const [fromSource, inTarget] = [await all(source, path), await all(target, path)];
    if (store.declaration.name === 'audit_log') {
      // The target's own trail adds a record per write the import made.
      const kept = new Set(inTarget.map((r) => JSON.stringify(r)));
      for (const record of fromSource) assert.ok(kept.has(JSON.stringify(record)), `audit_log ${record.id} arrived as it was`);
      continue;
    }
    assert.deepEqual(inTarget, fromSource, `${store.declaration.name} lists the same`);
  }
}

function importArgs(source: TestServer, tenant: string, ...more: string[]): string[] {
  return ['import', '--from', source.url, '--client-id', ADMIN_CLIENT_ID, '--client-secret', ADMIN_CLIENT_SECRET, '--tenant', tenant, ...more];
}

async function tenantRows(db: Database, tenantId: string): Promise<number> {
  let total = 0;
  for (const store of LISTED) {
    const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${store.table} WHERE tenant_id = $1`, [tenantId]);
    total += Number(row.n);
  }
  return total;
}

let source: TestServer;
let target: DurableStorage;
let env: NodeJS.ProcessEnv;
let sourceTenant: string;

before(async () => {
  source = await startServer();
  await fillSource(source);
  [{ id: sourceTenant }] = await source.db.query<{ id: string }>('SELECT id FROM tenant');
  target = await durableStorage();
  env = { ...target.env, WEBHOOK_ALLOW_PRIVATE: 'true' };
});
after(async () => {
  await source.close();
  await target.dispose();
});

describe('deuterium import', () => {
  it('brings every record into an empty tenant with its ids, dates and references, so lists answer the same', async () => {
    assert.equal((await cli(env, 'tenant', 'create', 'moved')).code, 0);
    const run = await cli(env, ...importArgs(source, 'moved', '--page-size', '2', '--json'));
    assert.equal(run.code, 0, run.err);
    const report = JSON.parse(run.out);
    assert.deepEqual(report.refused, []);
    assert.deepEqual(report.dangling, []);
    assert.deepEqual(report.waiting, []);
    assert.ok(report.rate > 0);
    assert.match(run.err, /client: \d+\/\d+ read/);
    assert.deepEqual(
      report.not_imported.map((n: { entity: string; field: string }) => `${n.entity}.${n.field}`),
      ['client.password'],
      'the source shows webhook secrets, so only passwords stay behind',
    );
    const db = await target.open();
    const reader = await targetReader(db, env, 'moved');
    try {
      await assertSameRecords(sourceReader(source), reader);
      const [tenant] = await db.query<{ id: string }>(`SELECT id FROM tenant WHERE name = 'moved'`);
      const trail = await db.query<{ doc: { request: string } }>(`SELECT doc FROM nucleus_audit_log WHERE tenant_id = $1 AND doc->>'request' LIKE '%"IMPORT"%'`, [tenant.id]);
      assert.ok(trail.length > 70, 'one audit record per imported record');
      assert.equal(JSON.parse(trail[0].doc.request).import.source, source.url);
      const outbox = await db.query(`SELECT 1 FROM webhook_event WHERE tenant_id = $1`, [tenant.id]);
      assert.equal(outbox.length, 0, 'no webhook event for imported records');
      const operatorTrail = await db.query(`SELECT details FROM admin_audit WHERE tenant_id = $1 AND action = 'tenant_imported'`, [tenant.id]);
      assert.equal(operatorTrail.length, 1);
      const spending = (on: Database, tenantId: string) =>
        on.query(`SELECT portfolio_id, span, day::text, facts, posted_cents::text, posted_count::text, pending_cents::text FROM proton_card_spending
                  WHERE tenant_id = $1 ORDER BY portfolio_id, span, day, facts_key`, [tenantId]);
      const spent = await spending(source.db, sourceTenant);
      assert.ok(spent.length > 0, 'the source has card spending');
      assert.deepEqual(await spending(db, tenant.id), spent, 'imported card transactions count in the spending ledger as they did at the source');
    } finally {
      await reader.close();
      await db.close();
    }
  });

  it('brings what changed at the source since, and nothing twice', async () => {
    const [client] = (await source.request('GET', '/nucleus/v1/client?size=1')).body.content;
    const changed = await source.request('PUT', `/nucleus/v1/client/${client.id}`, { body: { first_name: 'Changed at the source' } });
    assert.equal(changed.status, 200);
    const added = await source.request('POST', '/nucleus/v1/goal', { body: { name: 'new since the first import' } });
    assert.equal(added.status, 201);

    const run = await cli(env, ...importArgs(source, 'moved', '--json'));
    assert.equal(run.code, 0, run.err);
    const report = JSON.parse(run.out);
    const tally = (name: string) => report.entities.find((e: { entity: string }) => e.entity === name);
    assert.equal(tally('client').updated, 1);
    assert.equal(tally('goal').created, 1);
    const written = report.entities.reduce((sum: number, e: { created: number; updated: number }) => sum + e.created + e.updated, 0);
    assert.equal(written, 2 + tally('audit_log').created, 'only the changed client, the new goal and the source audit records of those changes');

    const db = await target.open();
    const reader = await targetReader(db, env, 'moved');
    try {
      await assertSameRecords(sourceReader(source), reader);
    } finally {
      await reader.close();
      await db.close();
    }
  });

  it('writes nothing on a dry run, and says what it would write', async () => {
    assert.equal((await cli(env, 'tenant', 'create', 'dry')).code, 0);
    const run = await cli(env, ...importArgs(source, 'dry', '--dry-run'));
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Dry run, nothing written: would import from .*: \d+ new, 0 changed/);
    const db = await target.open();
    try {
      const [tenant] = await db.query<{ id: string }>(`SELECT id FROM tenant WHERE name = 'dry'`);
      assert.equal(await tenantRows(db, tenant.id), 0);
      assert.equal((await db.query('SELECT 1 FROM import_checkpoint WHERE tenant_id = $1', [tenant.id])).length, 0);
    } finally {
      await db.close();
    }
  });

  it('reports a reference to a record the source no longer has, and imports the rest', async () => {
    const store = importStores.find((s) => s.declaration.name === 'goal')!;
    const orphan = '00000000-0000-4000-8000-00000000dead';
    await source.db.query(
      `INSERT INTO ${store.table} (tenant_id, id, create_date, update_date, doc) VALUES ($1, gen_random_uuid(), now(), now(), $2::jsonb)`,
      [sourceTenant, JSON.stringify({ name: 'orphan', parent_goal_id: orphan })],
    );
    const run = await cli(env, ...importArgs(source, 'moved', '--json'));
    assert.equal(run.code, 0, run.err);
    const report = JSON.parse(run.out);
    assert.equal(report.dangling.length, 1);
    assert.equal(report.dangling[0].missing_id, orphan);
    assert.equal(report.dangling[0].field, 'parent_goal_id');
    await source.db.query(`DELETE FROM ${store.table} WHERE doc->>'parent_goal_id' = $1`, [orphan]);
  });

  it('refuses, with the reason, a record that fails a check, and writes the rest of its page', async () => {
    // Shown by the source as stored, but refused by the schema here (client_type must not be empty).
    await source.db.query(
      `INSERT INTO nucleus_client (tenant_id, id, create_date, update_date, doc) VALUES ($1, gen_random_uuid(), now(), now(), $2::jsonb)`,
      [sourceTenant, JSON.stringify({ username: 'untyped@example.com', client_type: '' })],
    );
    const db = await target.open();
    try {
      const [tenant] = await db.query<{ id: string }>(`SELECT id FROM tenant WHERE name = 'moved'`);
      await db.query(
        `INSERT INTO nucleus_client (tenant_id, id, create_date, update_date, doc) VALUES ($1, gen_random_uuid(), now(), now(), $2::jsonb)`,
        [tenant.id, JSON.stringify({ username: 'taken@example.com', client_type: 'individual' })],
      );
    } finally {
      await db.close();
    }
    const taken = await source.request('POST', '/nucleus/v1/client', { body: { username: 'taken@example.com', client_type: 'individual' } });
    const free = await source.request('POST', '/nucleus/v1/client', { body: { username: 'free@example.com', client_type: 'individual' } });
    assert.equal(taken.status, 201);
    assert.equal(free.status, 201);
    const run = await cli(env, ...importArgs(source, 'moved'));
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Refused \(2\):$/m, run.err);
    assert.match(run.out, /client [0-9a-f-]+: Invalid request body: client_type/);
    assert.ok(run.out.includes(`client ${taken.body.id}: Another client already has this username`), run.out);
    const again = await cli(env, ...importArgs(source, 'moved', '--json'));
    assert.deepEqual(JSON.parse(again.out).refused, [], 'a refused record is read again only once it changes at the source');
    await source.db.query(`DELETE FROM nucleus_client WHERE doc->>'username' = 'untyped@example.com'`);
  });

  it('answers a usage error before opening anything, and a refused source credential as a failure', async () => {
    const missing = await cli(env, 'import', '--from', source.url, '--tenant', 'moved');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /Missing --client-id/);
    const badUrl = await cli(env, ...importArgs(source, 'moved', '--concurrency', '0').map((a) => (a === source.url ? 'ftp://x' : a)));
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.err, /--from must be an http or https URL/);
    const refused = await cli(env, 'import', '--from', source.url, '--client-id', ADMIN_CLIENT_ID, '--client-secret', 'wrong', '--tenant', 'moved');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /The source refused the client id and secret \(401\)/);
  });

  it('keeps ordinary API calls from choosing a record id or its dates', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    const created = await source.request('POST', '/nucleus/v1/goal', { body: { name: 'chosen', id, create_date: '2001-01-01T00:00:00.000Z', update_date: '2001-01-01T00:00:00.000Z' } });
    assert.equal(created.status, 201);
    assert.notEqual(created.body.id, id);
    assert.notEqual(created.body.create_date, '2001-01-01T00:00:00.000Z');
    const updated = await source.request('PUT', `/nucleus/v1/goal/${created.body.id}`, { body: { create_date: '2001-01-01T00:00:00.000Z' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.create_date, created.body.create_date);
  });
});

describe('deuterium import, stopped half-way', () => {
  it('refuses a second run while one runs, then goes on where the killed run stopped and ends with every record once', async () => {
    await addRows(source, 'security', 3000, sourceTenant);
    assert.equal((await cli(env, 'tenant', 'create', 'killed')).code, 0);
    const db = await target.open();
    try {
      const [tenant] = await db.query<{ id: string }>(`SELECT id FROM tenant WHERE name = 'killed'`);
      const child = spawn(BIN, importArgs(source, 'killed', '--page-size', '100', '--concurrency', '1'), { env: { ...process.env, ...env } });
      let err = '';
      child.stderr.on('data', (chunk) => (err += chunk));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      for (;;) {
        const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM nucleus_security WHERE tenant_id = $1', [tenant.id]);
        if (Number(n) > 200) break;
        if (child.exitCode !== null) assert.fail(`the import ended before it could be killed:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The source's securities are held locked until the run is killed, so the run cannot read on and
      // finish while the second one starts (a process start, which a busy machine can make slower than
      // the whole import). Locked at the source, not the target: the second run's start creates the
      // target's indexes, which would wait for a page transaction held open by a lock there.
      const release = await holdLock(source.db, 'LOCK TABLE nucleus_security IN ACCESS EXCLUSIVE MODE');
      try {
        const meanwhile = await cli(env, ...importArgs(source, 'killed', '--json'));
        assert.notEqual(meanwhile.code, 0, 'a second run into the same tenant from the same source is refused while one runs');
        assert.match(meanwhile.err, /Another import from .* into tenant "killed" is running/);
        assert.equal(meanwhile.out, '');
        child.kill('SIGKILL');
        await exited;
      } finally {
        await release();
      }
      const [{ n: partial }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM nucleus_security WHERE tenant_id = $1', [tenant.id]);
      assert.ok(Number(partial) < 3001, `killed half-way (${partial} securities in)`);

      const run = await cli(env, ...importArgs(source, 'killed', '--json'));
      assert.equal(run.code, 0, run.err);
      const [{ n: imported }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM nucleus_security WHERE tenant_id = $1', [tenant.id]);
      const [{ n: atSource }] = await source.db.query<{ n: string }>('SELECT count(*) AS n FROM nucleus_security WHERE tenant_id = $1', [sourceTenant]);
      assert.equal(imported, atSource);
      const twice = await db.query(
        `SELECT doc->>'security_ids' AS ids FROM nucleus_audit_log WHERE tenant_id = $1 AND doc->>'request_url' LIKE '/nucleus/v1/security/%'
         GROUP BY doc->>'request_url', doc->>'security_ids' HAVING count(*) > 1`,
        [tenant.id],
      );
      assert.deepEqual(twice, [], 'no record written twice');
      const reader = await targetReader(db, env, 'killed');
      try {
        await assertSameRecords(sourceReader(source), reader);
      } finally {
        await reader.close();
      }
    } finally {
      await db.close();
    }
  });
});

describe('deuterium import from a source that limits its callers', () => {
  let limited: TestServer;
  before(async () => {
    limited = await startServer({ rateLimits: { windowMs: 1000, production: 15, sandbox: 15, token: 1e9 } });
    await limited.request('POST', '/nucleus/v1/client', { body: { first_name: 'A', last_name: 'B', client_type: 'individual', username: 'ab@example.com' } });
  });
  after(() => limited.close());

  it('waits out each 429 as Retry-After asks and imports everything', async () => {
    assert.equal((await cli(env, 'tenant', 'create', 'limited')).code, 0);
    const run = await cli(env, ...importArgs(limited, 'limited', '--json'));
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /waiting [\d.]+ s: source answered 429/);
    const report = JSON.parse(run.out);
    assert.equal(report.entities.find((e: { entity: string }) => e.entity === 'client').created, 1);
  });
});
