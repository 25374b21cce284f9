import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db/database.ts';
import { freshDatabase } from '../../support/server.ts';
import { pageComputed } from '../../../src/platform/list/computed.ts';
import { ApiError } from '../../../src/platform/http/api-error.ts';
import { PortfolioHoldingAgg, recordSchema } from '../../../src/nucleus/views/schemas.ts';

describe('paging computed records', () => {
  let db: Database;
  let drop: () => Promise<void>;
  before(async () => {
    ({ db, drop } = await freshDatabase());
  });
  after(async () => {
    await db.close();
    await drop();
  });

  const record = recordSchema(PortfolioHoldingAgg);
  const rows = [
    { date: '2024-01-01', security_id: '00000000-0000-4000-8000-000000000001', shares: 10, amount: 1000 },
    { date: '2024-01-02', security_id: '00000000-0000-4000-8000-000000000002', shares: 5, amount: 99.5 },
    { date: '2024-01-03', security_id: '00000000-0000-4000-8000-000000000001', shares: 2 },
  ];
  const base = { page: 0, size: 25, order_by: 'date', ascending: false };

  it('orders, filters and pages like a stored list', async () => {
    const all = await pageComputed(db, rows, record, base);
    assert.deepEqual(all.content.map((r) => r.date), ['2024-01-03', '2024-01-02', '2024-01-01']);
    assert.equal(all.total_elements, 3);
    const byAmount = await pageComputed(db, rows, record, { ...base, order_by: 'amount', ascending: true });
    // Numbers sort as numbers (99.5 before 1000); a missing amount sorts last.
    assert.deepEqual(byAmount.content.map((r) => r.amount), [99.5, 1000, undefined]);
    const filtered = await pageComputed(db, rows, record, { ...base, filter: 'shares=ge=5;date=lt=2024-01-02' });
    assert.deepEqual(filtered.content.map((r) => r.date), ['2024-01-01']);
    const second = await pageComputed(db, rows, record, { ...base, size: 2, page: 1 });
    assert.deepEqual([second.content.length, second.total_pages, second.first, second.last], [1, 2, false, true]);
  });

  it('refuses unknown fields as a stored list does', async () => {
    await assert.rejects(pageComputed(db, rows, record, { ...base, filter: 'nope==1' }), (e: unknown) => e instanceof ApiError && e.field === 'filter');
    await assert.rejects(pageComputed(db, rows, record, { ...base, order_by: 'nope' }), (e: unknown) => e instanceof ApiError && e.field === 'order_by');
  });
});
