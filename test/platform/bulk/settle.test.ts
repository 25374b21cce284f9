import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from '../../support/server.ts';
import type { Database } from '../../../src/platform/db/database.ts';
import { prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { createTenant } from '../../../src/platform/auth/credentials.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { EntityWriter, type WriteOrigin } from '../../../src/platform/entity/writer.ts';
import { ApiError } from '../../../src/platform/http/api-error.ts';
import { AccessControl } from '../../../src/platform/acl/access-control.ts';
import { settleBulkItemHook } from '../../../src/platform/bulk/processor.ts';
import { bulkItems, insertBulk } from '../../../src/platform/bulk/store.ts';
import accountType from '../../../src/nucleus/account/account-type.entity.ts';

describe('bulk item settlement', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let writer: EntityWriter;
  let tenantId: string;

  before(async () => {
    ({ db, drop } = await freshDatabase());
    await prepareDatabase(db, [accountType]);
    tenantId = (await createTenant(db, 'settle')).id;
    const stores = buildStores([accountType]);
    writer = new EntityWriter(db, new Map(stores.map((s) => [s.declaration.name, s])), new AccessControl(new Map([[accountType.name, accountType]])), { strictFields: false });
    writer.addHook(settleBulkItemHook);
  });
  after(async () => {
    await db.close();
    await drop();
  });

  it('commits an item write together with its outcome, so a repeat of the item writes nothing', async () => {
    const credentialId = '00000000-0000-4000-8000-000000000001';
    const bulk = await db.transaction((tx) => insertBulk(tx, { tenantId, credentialId, clientId: null, entity: 'account_type', action: 'create', items: [{ name: 'once' }] }));
    const origin: WriteOrigin = {
      auth: { tenantId, credentialId, clientId: null, authorities: ['ROLE_ADMIN'], scopes: [] },
      method: 'POST',
      url: '/nucleus/v1/bulk/account_type',
      requestId: 'req_test',
      body: { name: 'once' },
      bulk: { id: bulk.id, item: 0 },
    };
    const record = await writer.create('account_type', { name: 'once' }, origin);
    assert.deepEqual(await bulkItems(db, tenantId, bulk.id), [{ position: 0, state: 'succeeded', record_id: record.id, error: null }]);

    // What a worker resuming after a crash, or racing a stalled one, would attempt.
    await assert.rejects(writer.create('account_type', { name: 'once' }, origin), (error) => !(error instanceof ApiError));
    const rows = await db.query(`SELECT 1 FROM nucleus_account_type WHERE tenant_id = $1`, [tenantId]);
    assert.equal(rows.length, 1);
  });
});
