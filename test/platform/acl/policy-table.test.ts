import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { renderPolicyTable } from '../../../src/platform/acl/policy-table.ts';
import { categoryOf } from '../../../src/platform/acl/categories.ts';
import { decide } from '../../../src/platform/acl/policy.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';

describe('access policy', () => {
  it('is documented exactly as enforced', () => {
    const doc = fs.readFileSync(new URL('../../../docs/access-control.md', import.meta.url), 'utf8');
    const between = /<!-- access-table:start -->\n([\s\S]*?)\n<!-- access-table:end -->/.exec(doc);
    assert.ok(between, 'docs/access-control.md has the table markers');
    assert.equal(between[1], renderPolicyTable(), 'run: npx tsx scripts/render-access-table.ts');
  });

  it('gives every declared entity a category', () => {
    const missing = nucleusEntities.filter((d) => !categoryOf(d.name)).map((d) => d.name);
    assert.deepEqual(missing, []);
  });

  it('adds roles up, a tenant-wide grant winning', () => {
    assert.deepEqual(decide(['ROLE_SUPPORT'], 'client', 'write'), { allowed: false });
    assert.deepEqual(decide(['ROLE_SUPPORT'], 'client', 'read'), { allowed: true, reach: 'tenant' });
    assert.deepEqual(decide(['ROLE_CLIENT'], 'client', 'read'), { allowed: true, reach: 'own' });
    assert.deepEqual(decide(['ROLE_CLIENT', 'ROLE_SUPPORT'], 'client', 'read'), { allowed: true, reach: 'tenant' });
    assert.deepEqual(decide(['ROLE_CLIENT', 'ROLE_SUPPORT'], 'client', 'write'), { allowed: true, reach: 'own' });
    assert.deepEqual(decide([], 'client', 'read'), { allowed: false });
    assert.deepEqual(decide(['ROLE_ADMIN'], 'webhook', 'write'), { allowed: true, reach: 'tenant' });
    assert.deepEqual(decide(['ROLE_OPERATIONS'], 'webhook', 'read'), { allowed: false });
    assert.deepEqual(decide(['ROLE_SUPER_ADMIN'], 'unknown_entity', 'write'), { allowed: true, reach: 'tenant' });
    assert.deepEqual(decide(['ROLE_SUPPORT'], 'unknown_entity', 'read'), { allowed: false }, 'unknown entities are administration');
  });
});
