import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { importOrder } from '../../../src/platform/import/import-order.ts';

describe('importOrder', () => {
  const steps = importOrder(nucleusEntities);
  const position = new Map(steps.map((step, index) => [step.entity, index]));

  it('lists every entity once, each after what it waits for', () => {
    assert.equal(steps.length, new Set(steps.map((s) => s.entity)).size);
    assert.equal(steps.length, nucleusEntities.length);
    for (const step of steps) for (const parent of step.after) assert.ok(position.get(parent)! < position.get(step.entity)!, `${parent} before ${step.entity}`);
  });

  it('waits for every reference except those that close a cycle, which are completed later', () => {
    for (const declaration of nucleusEntities) {
      const step = steps.find((s) => s.entity === declaration.name)!;
      for (const [path, target] of Object.entries(declaration.references ?? {})) {
        assert.ok(step.after.includes(target) || step.deferred.includes(path), `${declaration.name}.${path}`);
      }
    }
    const deferred = steps.flatMap((s) => s.deferred.map((path) => `${s.entity}.${path}`)).sort();
    assert.deepEqual(deferred, ['business.ownership[].client_id', 'goal.parent_goal_id', 'security.proxy_id', 'security.security_composition[].component_id']);
  });
});
