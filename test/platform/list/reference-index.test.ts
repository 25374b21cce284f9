import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, startServer, type TestServer } from '../../support/server.ts';
import type { Database } from '../../../src/platform/db/database.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import type { EntityStore } from '../../../src/platform/entity/store.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { listStatements, planNodes } from './list-plans.ts';


const PORTFOLIOS = 1000;
const PER_PORTFOLIO = 100;
const portfolioId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('a list filtered on a reference is served from its index', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: EntityStore;
  const tenantId = randomUUID();

  before(async () => {
    ({ db, drop } = await freshDatabase('prepared'));
    store = buildStores(nucleusEntities).find((s) => s.declaration.name === 'portfolio_transaction')!;
    // 100,000 transactions over 1,000 portfolios, with only the fields the lists here read.
    await db.query(
      `INSERT INTO nucleus_portfolio_transaction (tenant_id, id, create_date, update_date, doc)
       SELECT $1, gen_random_uuid(), t, t, jsonb_build_object('portfolio_id', '00000000-0000-4000-8000-' || lpad((g % ${PORTFOLIOS})::text, 12, '0'), 'amount', g)
       FROM generate_series(1, ${PORTFOLIOS * PER_PORTFOLIO}) AS g, LATERAL (SELECT timestamptz '2024-01-01' + g * interval '1 minute' AS t) AS d`,
      [tenantId],
    );
    // What autovacuum does for a table that grew this much; the planner needs the statistics.
    await db.query('ANALYZE nucleus_portfolio_transaction');
  });
  after(async () => {
    await db.close();
    await drop();
  });

  const statementsOf = (filter?: string, ascending = false) => listStatements(db, store, tenantId, filter, ascending);
  const plan = (sql: string, params: unknown[]) => planNodes(db, sql, params);

  it('finds one portfolio\'s transactions among 100,000 through the portfolio_id index', async (t) => {
    const wanted = portfolioId(42);
    const { page, statements } = await statementsOf(`portfolio_id==${wanted.toUpperCase()}`);
    assert.equal(page.total_elements, PER_PORTFOLIO);
    assert.equal(page.content.length, 25);
    assert.ok(page.content.every((r) => r.portfolio_id === wanted));
    assert.equal(statements.length, 2, 'a count and a page');
    for (const { sql, params } of statements) {
      const nodes = await plan(sql, params);
      t.diagnostic(`${sql.replace(/\s+/g, ' ')} => ${nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`).join(' <- ')}`);
      assert.ok(!nodes.some((n) => n['Node Type'] === 'Seq Scan'), `no sequential scan: ${JSON.stringify(nodes)}`);
      assert.ok(
        nodes.some((n) => n['Index Name'] === 'nucleus_portfolio_transaction_portfolio_id'),
        `served by the portfolio_id index: ${JSON.stringify(nodes)}`,
      );
    }
  });

  it('answers an unfiltered page of 100,000 with its total without reading the tenant\'s rows to count them', async () => {
    const { page, statements } = await statementsOf();
    assert.equal(page.total_elements, PORTFOLIOS * PER_PORTFOLIO);
    const [count, rows] = await Promise.all(statements.map(({ sql, params }) => plan(sql, params)));
    assert.ok(
      count.every((n) => n['Relation Name'] === undefined || n['Relation Name'] === 'entity_row_count'),
      `the count reads the kept row counts alone: ${JSON.stringify(count)}`,
    );
    assert.ok(!rows.some((n) => n['Node Type'] === 'Seq Scan' || n['Node Type'] === 'Sort'), JSON.stringify(rows));
  });

  for (const ascending of [false, true]) {
    it(`reads a page ${ascending ? 'oldest' : 'newest'} first through the update_date index, without sorting the 100,000`, async () => {
      const { page, statements } = await statementsOf(undefined, ascending);
      assert.deepEqual([page.content[0].amount, page.content[24].amount], ascending ? [1, 25] : [100000, 99976]);
      const nodes = await plan(statements[1].sql, statements[1].params);
      assert.ok(nodes.some((n) => n['Index Name'] === 'nucleus_portfolio_transaction_update_date'), JSON.stringify(nodes));
      assert.ok(!nodes.some((n) => n['Node Type'] === 'Sort' || n['Node Type'] === 'Seq Scan'), JSON.stringify(nodes));
    });
  }

  it('serves =in= on a reference from the same index', async () => {
    const { page, statements } = await statementsOf(`portfolio_id=in=(${portfolioId(7)},${portfolioId(8)})`);
    assert.equal(page.total_elements, 2 * PER_PORTFOLIO);
    for (const { sql, params } of statements) {
      const nodes = await plan(sql, params);
      assert.ok(!nodes.some((n) => n['Node Type'] === 'Seq Scan'), JSON.stringify(nodes));
      assert.ok(nodes.some((n) => n['Index Name'] === 'nucleus_portfolio_transaction_portfolio_id'), JSON.stringify(nodes));
    }
  });
});

describe('UUIDs are kept in lower case, so any case finds them', () => {
  let server: TestServer;
  let portfolio: string;
  let account: string;
  let model: string;
  let code: string;
  const create = async (entity: string, body: object): Promise<string> => {
    const result = await server.request('POST', `/nucleus/v1/${entity}`, { body });
    assert.equal(result.status, 201, `${entity}: ${JSON.stringify(result.body)}`);
    return result.body.id;
  };

  before(async () => {
    server = await startServer();
    const type = await create('account_type', { name: 'Brokerage' });
    account = await create('account', { name: 'Main', account_type_id: type.toUpperCase() });
    model = await create('model', { name: 'Growth' });
    portfolio = await create('portfolio', { name: 'P', account_id: account, model_id: model, percentage: 100 });
    code = await create('transaction_code', { transaction_code: 'BUY' });
  });
  after(() => server.close());

  it('stores a reference sent in upper case in lower case, and filters match it in either case', async () => {
    const created = await server.request('POST', '/nucleus/v1/portfolio_transaction', {
      body: { portfolio_id: portfolio.toUpperCase(), account_id: account, model_id: model.toUpperCase(), transaction_code_id: code, date: '2024-01-02T00:00:00Z', amount: 5 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.portfolio_id, portfolio);
    assert.equal(created.body.model_id, model);
    for (const value of [portfolio, portfolio.toUpperCase()]) {
      for (const filter of [`portfolio_id==${value}`, `portfolio_id=in=(${value})`]) {
        const found = await server.request('GET', `/nucleus/v1/portfolio_transaction?filter=${encodeURIComponent(filter)}`);
        assert.deepEqual(found.body.content.map((r: { id: string }) => r.id), [created.body.id], filter);
      }
    }
    const other = await server.request('GET', `/nucleus/v1/portfolio_transaction?filter=${encodeURIComponent(`portfolio_id!=${portfolio.toUpperCase()}`)}`);
    assert.equal(other.body.total_elements, 0);
  });

  it('still refuses to delete a record referenced, whatever the case of the id in the path', async () => {
    const refused = await server.request('DELETE', `/nucleus/v1/model/${model.toUpperCase()}`);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'referenced');
  });
});
