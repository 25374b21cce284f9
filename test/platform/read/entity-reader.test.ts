import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { AccessControl } from '../../../src/platform/acl/access-control.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { EntityReader, type ReadSources } from '../../../src/platform/read/entity-reader.ts';
import type { AuthContext } from '../../../src/platform/auth/tokens.ts';

async function create(server: TestServer, entity: string, body: Record<string, unknown>, token?: string): Promise<string> {
  const created = await server.request('POST', `/nucleus/v1/${entity}`, { body, token });
  assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

describe('typed reads of entity records', () => {
  let server: TestServer;
  let sources: ReadSources & { acl: AccessControl };
  let tenantId: string;
  let clientId: string;
  let otherClientId: string;
  let account: string;
  const admin = (): AuthContext => ({ tenantId, credentialId: 'test', clientId: null, authorities: ['ROLE_SUPER_ADMIN'], scopes: [] });

  before(async () => {
    server = await startServer();
    const stores = buildStores(nucleusEntities);
    sources = {
      db: server.db,
      stores: new Map(stores.map((s) => [s.declaration.name, s])),
      acl: new AccessControl(new Map(stores.map((s) => [s.declaration.name, s.declaration]))),
    };
    clientId = await create(server, 'client', { first_name: 'Ada', last_name: 'L', client_type: 'individual', username: `ada-${Date.now()}@example.com` });
    otherClientId = await create(server, 'client', { first_name: 'Bo', last_name: 'M', client_type: 'individual', username: `bo-${Date.now()}@example.com` });
    [{ tenant_id: tenantId }] = await server.db.query<{ tenant_id: string }>('SELECT tenant_id::text AS tenant_id FROM nucleus_client WHERE id = $1', [clientId]);
    account = await create(server, 'aggregation_account', {
      client_id: clientId, institution_name: 'Bank', account_name: 'Checking', is_asset: true,
    });
    const balances: [string, number, boolean | undefined, number | undefined][] = [
      ['2024-01-01T00:00:00Z', 100, true, 80],
      ['2024-02-01T00:00:00Z', 150.25, undefined, undefined],
      ['2024-03-01T00:00:00Z', 90, false, 70],
    ];
    for (const [at, balance, active, available] of balances) {
      await create(server, 'aggregation_account_balance', {
        aggregation_account_id: account, balance, currency_code: 'USD', balance_time_stamp: at, is_active: active, available_balance: available,
      });
    }
  });
  after(async () => {
    await server.close();
  });

  test('a Where compares each field in its kind: equality, lists, bounds, booleans and absence', async () => {
    const reader = EntityReader.asCaller(sources, admin());
    const all = await reader.rows('aggregation_account_balance', { where: { aggregation_account_id: account.toUpperCase() } });
    assert.equal(all.length, 3, 'a uuid is compared in lower case, as stored');
    const inList = await reader.rows('aggregation_account_balance', { where: { aggregation_account_id: { in: [account] }, balance: { gt: 95, lte: 150.25 } } });
    assert.deepEqual(inList.map((r) => r.doc.balance).sort(), [100, 150.25]);
    const since = await reader.rows('aggregation_account_balance', { where: { balance_time_stamp: { gte: '2024-02-01T00:00:00.000Z' } } });
    assert.equal(since.length, 2);
    assert.equal((await reader.rows('aggregation_account_balance', { where: { is_active: true } })).length, 2, 'is_active defaults to true');
    assert.equal((await reader.rows('aggregation_account_balance', { where: { is_active: false } })).length, 1);
    assert.equal((await reader.rows('aggregation_account_balance', { where: { is_active: { not: true } } })).length, 1);
    assert.equal((await reader.rows('aggregation_account_balance', { where: { available_balance: null } })).length, 1);
    assert.equal((await reader.rows('aggregation_account_balance', { where: { available_balance: { not: null } } })).length, 2);
    assert.equal((await reader.rows('aggregation_account_balance', { where: { available_balance: { not: 80 } } })).length, 2, 'a missing value is distinct from one');
    assert.equal((await reader.rows('aggregation_account_balance', { where: { balance: { in: [100, 90] } } })).length, 2);
    assert.equal((await reader.rows('aggregation_account_balance', { where: { aggregation_account_id: { in: [] } } })).length, 0);
  });

  test('the latest row of each group, sums and orders come from the fields named', async () => {
    const reader = EntityReader.asCaller(sources, admin());
    const [latest] = await reader.rows<'aggregation_account_balance', { account: string; balance: string }>('aggregation_account_balance', {
      where: { aggregation_account_id: account },
      columns: (f) => `${f.text('aggregation_account_id')} AS account, ${f.text('balance')} AS balance`,
      firstPer: (f) => f.text('aggregation_account_id'),
      order: (f) => `${f.text('aggregation_account_id')}, ${f.value('balance_time_stamp')} DESC`,
    });
    assert.deepEqual(latest, { account, balance: '90' });
    const [sum] = await reader.rows<'aggregation_account_balance', { total: string }>('aggregation_account_balance', {
      where: { aggregation_account_id: account },
      columns: (f) => `sum(${f.value('balance')})::text AS total`,
    });
    assert.equal(sum.total, '340.25', 'numbers are summed as numeric, not binary floating point');
    const days = await reader.rows<'aggregation_account_balance', { day: string }>('aggregation_account_balance', {
      columns: (f) => `${f.day('balance_time_stamp')} AS day`,
      order: (f) => `${f.value('balance_time_stamp')} DESC`,
      limit: 2,
    });
    assert.deepEqual(days.map((d) => d.day), ['2024-03-01', '2024-02-01']);
    const records = await reader.records('aggregation_account_balance', { where: { balance: 100 } });
    assert.equal(records.length, 1);
    assert.equal(records[0].aggregation_account_id, account);
    assert.match(records[0].create_date, /Z$/);
  });

  test('a reader for a caller sees only what the caller may read; a tenant-wide reader sees the tenant', async () => {
    const mine = { ...admin(), clientId: otherClientId, authorities: ['ROLE_CLIENT'] as AuthContext['authorities'] };
    const asOther = EntityReader.asCaller(sources, mine);
    assert.equal((await asOther.rows('aggregation_account_balance', {})).length, 0);
    await assert.rejects(asOther.get('aggregation_account', account), (error: { status?: number }) => error.status === 404);
    const tenant = EntityReader.tenantWide(sources, tenantId);
    assert.equal((await tenant.rows('aggregation_account_balance', { where: { aggregation_account_id: account } })).length, 3);
    const elsewhere = EntityReader.tenantWide(sources, '00000000-0000-4000-8000-000000000000');
    assert.equal((await elsewhere.rows('aggregation_account_balance', {})).length, 0, 'every read is confined to its tenant');
  });

  test('a field the entity does not have is a bug, found before any statement runs', async () => {
    const reader = EntityReader.tenantWide(sources, tenantId);
    const f = reader.fields('aggregation_account_balance', 'b');
    assert.equal(f.text('balance'), "(b.doc->>'balance')");
    assert.equal(f.value('balance'), "((b.doc->>'balance'))::numeric");
    assert.equal(f.column('create_date'), 'b.create_date');
    assert.throws(() => f.text('no_such_field' as 'balance'), /aggregation_account_balance has no field no_such_field/);
    await assert.rejects(reader.rows('aggregation_account_balance', { where: { nope: 1 } as never }), /has no field nope/);
  });
});
