import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { creationOrder, sampleBody } from '../../../src/platform/entity/samples.ts';
import { ALL_OPERATIONS, entityPath } from '../../../src/platform/entity/declaration.ts';
import type { JsonSchema } from '../../../src/platform/entity/schemas.ts';

/** Text fields of each entity that a unique key or an index of its declaration covers. */
const stores = creationOrder(buildStores(nucleusEntities));
const indexedText = stores.flatMap((store) => {
  const keys = [...(store.declaration.unique ?? []), ...(store.declaration.indexes ?? [])].flat();
  return [...new Set(keys)]
    .filter((field) => {
      const schema = store.schemas.create.properties?.[field] as JsonSchema | undefined;
      return schema?.type === 'string' && (schema.format === undefined || schema.format === 'email') && schema.enum === undefined;
    })
    .map((field) => ({ store, field }));
});

describe('indexed text fields hold what their index can', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startServer();
    for (const store of stores) {
      if (!(store.declaration.operations ?? ALL_OPERATIONS).includes('create')) continue;
      const created = await server.request('POST', `/nucleus/v1/${entityPath(store.declaration)}`, { body: sampleBody(store.declaration, store.schemas.create, ids) });
      assert.equal(created.status, 201, `${store.declaration.name}: ${JSON.stringify(created.body)}`);
      ids[store.declaration.name] = created.body.id;
    }
  });
  after(() => server.close());

  it('finds the indexed text fields', () => {
    const names = indexedText.map(({ store, field }) => `${store.declaration.name}.${field}`);
    for (const expected of ['reason_code.reason_code', 'transaction_code.transaction_code', 'client.username', 'client.email', 'client.status']) assert.ok(names.includes(expected), names.join(', '));
  });

  for (const { store, field } of indexedText) {
    it(`${store.declaration.name}.${field}: the longest value in four-byte characters is stored, a longer one is a 400 naming it`, async () => {
      const maxLength = store.schemas.create.properties![field].maxLength as number;
      assert.ok(typeof maxLength === 'number' && maxLength * 4 <= 2400, `maxLength ${maxLength}`);
      const path = `/nucleus/v1/${entityPath(store.declaration)}`;
      // An email's characters are ASCII; every other text may be as long in four-byte ones.
      const isEmail = store.schemas.create.properties![field].format === 'email';
      const ofLength = (length: number, character: string) => (isEmail ? `${'x'.repeat(length - 12)}@example.com` : character.repeat(length));
      const longest = await server.request('POST', path, { body: { ...sampleBody(store.declaration, store.schemas.create, ids), [field]: ofLength(maxLength, '😀') } });
      assert.equal(longest.status, 201, JSON.stringify(longest.body).slice(0, 300));
      for (const length of [maxLength + 1, 8000]) {
        const tooLong = await server.request('POST', path, { body: { ...sampleBody(store.declaration, store.schemas.create, ids), [field]: ofLength(length, 'x') } });
        assert.equal(tooLong.status, 400, `${length}: ${JSON.stringify(tooLong.body).slice(0, 300)}`);
        assert.equal(tooLong.body.field, field);
      }
    });
  }
});
