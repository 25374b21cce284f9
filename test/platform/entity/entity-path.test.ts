import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { defineEntity, entityPath } from '../../../src/platform/entity/declaration.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';

const schema = Type.Object({ name: Type.String() });
const thing = defineEntity({ name: 'thing', title: 'Thing', tag: 'Test', schema });

describe('entity paths', () => {
  it('serve an entity at its name unless its declaration says otherwise', () => {
    assert.equal(entityPath(thing), 'thing');
    assert.equal(entityPath({ ...thing, path: 'resource/thing' }), 'resource/thing');
  });

  it('must be snake_case segments', () => {
    for (const path of ['/resource/thing', 'resource//thing', 'Resource/thing', 'resource/thing/', 'resource/{id}']) {
      assert.throws(() => buildStores([{ ...thing, path }]), /not snake_case segments/, path);
    }
  });

  it('may not be shared by two entities', () => {
    const other = defineEntity({ name: 'other', title: 'Other', tag: 'Test', schema, path: 'thing' });
    assert.throws(() => buildStores([thing, other]), /two entities are served at "thing"/);
  });
});
