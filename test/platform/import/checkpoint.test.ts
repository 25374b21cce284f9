import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { advance, START } from '../../../src/platform/import/checkpoint.ts';

const at = (id: string, update_date: string) => ({ id, create_date: update_date, update_date });

describe('advance', () => {
  it('moves to the newest update of a page, remembering the records read at that instant', () => {
    const { next, fresh } = advance(START, [at('a', '2024-01-01T00:00:00Z'), at('b', '2024-01-02T00:00:00Z'), at('c', '2024-01-02T00:00:00.000Z')], false);
    assert.equal(fresh.length, 3);
    assert.deepEqual(next, { since: '2024-01-02T00:00:00.000Z', seenAtSince: ['b', 'c'], page: 0 });
  });

  it('skips what was read at the instant it starts from, and pages on through a page of one instant', () => {
    const since = '2024-01-02T00:00:00.000Z';
    const { next, fresh } = advance({ since, seenAtSince: ['b', 'c'], page: 0 }, [at('b', since), at('c', since), at('d', since)], false);
    assert.deepEqual(fresh.map((r) => r.id), ['d']);
    assert.deepEqual(next, { since, seenAtSince: ['b', 'c', 'd'], page: 1 });
  });

  it('stays on the last page when it holds only records of that instant, where later records will be listed', () => {
    const since = '2024-01-02T00:00:00.000Z';
    const { next, fresh } = advance({ since, seenAtSince: ['b'], page: 0 }, [at('b', since)], true);
    assert.deepEqual(fresh, []);
    assert.deepEqual(next, { since, seenAtSince: ['b'], page: 0 });
  });

  it('stays where it was on an empty page', () => {
    const checkpoint = { since: '2024-01-02T00:00:00.000Z', seenAtSince: ['b'], page: 0 };
    assert.deepEqual(advance(checkpoint, [], true), { next: checkpoint, fresh: [] });
  });
});
