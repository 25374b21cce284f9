import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase } from '../../support/server.ts';
import type { Database } from '../../../src/platform/db/database.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import type { EntityStore } from '../../../src/platform/entity/store.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { clientFilters, loadClients } from '../../support/many-clients.ts';
import { analyzedPlanNodes, listStatements, type AnalyzedNode } from './list-plans.ts';

/** Rows a node read to produce what it did: those it kept and those its conditions turned down. */
function rowsRead(node: AnalyzedNode): number {
  return (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'];
}

/**
 * The plan a million clients would get, at a tenth of them: the statistics scale with the
 * table, so the plan does too, and the test stays within seconds. bench/list-scale.ts times
 * the same filters over 1,000,000.
 */
const CLIENTS = 100_000;

describe('filters firms list clients by are served by indexes, page and count', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: EntityStore;
  const tenantId = randomUUID();

  before(async () => {
    ({ db, drop } = await freshDatabase('prepared'));
    store = buildStores(nucleusEntities).find((s) => s.declaration.name === 'client')!;
    await loadClients(db, tenantId, 1, CLIENTS);
    // Another tenant's rows, which no plan may read either.
    await loadClients(db, randomUUID(), 1, CLIENTS / 10);
  });
  after(async () => {
    await db.close();
    await drop();
  });

  for (const { name, filter, matches } of clientFilters(CLIENTS)) {
    it(`${name}: reads about the ${matches} matching rows, through an index, for the page and the count`, async (t) => {
      const { page, statements } = await listStatements(db, store, tenantId, filter);
      assert.equal(page.total_elements, matches);
      // The page may walk the update_date index past rows the filter turns down, as long as it
      // reads about as many as the filter keeps; and a sort may only sort those.
      const allowed = 2 * Math.max(matches, page.size) + 100;
      for (const { sql, params } of statements) {
        const nodes = await analyzedPlanNodes(db, sql, params);
        const scans = nodes.filter((n) => n['Relation Name'] === 'nucleus_client');
        t.diagnostic(`${sql.replace(/\s+/g, ' ').slice(0, 80)}… => ${nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''} (${rowsRead(n)})`).join(' <- ')}`);
        assert.ok(scans.length > 0 && !scans.some((n) => n['Node Type'] === 'Seq Scan'), `no sequential scan: ${JSON.stringify(nodes)}`);
        for (const node of nodes) {
          if (node['Relation Name'] === 'nucleus_client' || node['Node Type'] === 'Sort') {
            assert.ok(rowsRead(node) <= allowed, `${node['Node Type']} read ${rowsRead(node)} rows of ${CLIENTS}, more than ${allowed}: ${JSON.stringify(nodes)}`);
          }
        }
      }
    });
  }
});
