import assert from 'node:assert/strict';
import { nucleusEntities } from '../../src/nucleus/entities.ts';
import { ALL_OPERATIONS, entityPath } from '../../src/platform/entity/declaration.ts';
import { buildStores } from '../../src/platform/entity/registry.ts';
import { creationOrder, sampleBody } from '../../src/platform/entity/samples.ts';
import { compileInputCheck } from '../../src/platform/http/validation.ts';
import type { TestServer } from './server.ts';

export const importStores = buildStores(nucleusEntities);

/**
 * A tenant as a team would have it, made through the public API: a record of every entity
 * that can be created, each pointing at those it requires, plus the cycles the declarations
 * allow (a goal under another goal updated after it; a business owned by a client that
 * names it back), so an import must order parents first and take a second pass.
 */
export async function fillSource(server: TestServer): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const store of creationOrder(importStores)) {
    const { declaration } = store;
    if (!(declaration.operations ?? ALL_OPERATIONS).includes('create')) continue;
    const body = { ...sampleBody(declaration, store.schemas.create, ids), secondary_id: `sec-${declaration.name}` };
    const created = await server.request('POST', `/nucleus/v1/${entityPath(declaration)}`, { body });
    assert.equal(created.status, 201, `${declaration.name}: ${JSON.stringify(created.body)}`);
    ids[declaration.name] = created.body.id;
  }
  const child = await server.request('POST', '/nucleus/v1/goal', { body: { name: 'child goal', category: 'c', type: 'goal', parent_goal_id: ids.goal } });
  assert.equal(child.status, 201, JSON.stringify(child.body));
  const parentLater = await server.request('PUT', `/nucleus/v1/goal/${ids.goal}`, { body: { name: 'parent goal, updated after its child' } });
  assert.equal(parentLater.status, 200, JSON.stringify(parentLater.body));
  const owned = await server.request('PUT', `/nucleus/v1/business/${ids.business}`, {
    body: { ownership: [{ client_id: ids.client, role: 'owner', percent_ownership: 100, is_beneficial: true, is_primary: true }] },
  });
  assert.equal(owned.status, 200, JSON.stringify(owned.body));
  const naming = await server.request('PUT', `/nucleus/v1/client/${ids.client}`, { body: { business_id: ids.business } });
  assert.equal(naming.status, 200, JSON.stringify(naming.body));
  return ids;
}

/** Rows written straight into the source's table, for volume: valid bodies, distinct ids and dates. */
export async function addRows(server: TestServer, entity: string, count: number, tenantId: string): Promise<void> {
  const store = importStores.find((s) => s.declaration.name === entity)!;
  // Completed with the schema's defaults, as a write through the API would store it.
  const checked = compileInputCheck(store.schemas.create, 'body', { strictFields: false })(sampleBody(store.declaration, store.schemas.create, {}));
  assert.ok(!('error' in checked));
  const body = checked.value;
  await server.db.query(
    `INSERT INTO ${store.table} (tenant_id, id, create_date, update_date, doc)
     SELECT $1, gen_random_uuid(), t, t, $2::jsonb || jsonb_build_object('secondary_id', 'bulk-' || n)
       FROM generate_series(1, $3::int) AS n, LATERAL (SELECT timestamptz '2024-01-01' + n * interval '1 second' AS t) AS d`,
    [tenantId, JSON.stringify(body), count],
  );
}
