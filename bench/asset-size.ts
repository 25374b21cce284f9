import { startServer, type TestServer } from '../test/support/server.ts';
import { median, type BenchFigure } from './figure.ts';

/**
 * A client's monthly asset-size series over 20 portfolios with five years of daily asset
 * sizes each (36,500 records), against GET /health in the same run. The records are written
 * straight into the table: 36,500 API calls would time the seeding, not the view. The run
 * also prints how the statement reading the asset sizes was executed: its index scans and
 * how many times each ran.
 *
 * Note, measured on a shared 2-core machine (load 4 to 7), runs of before and after taken in
 * turn: reading every record through a window function took 93-135 ms on PostgreSQL 15;
 * walking each portfolio's (portfolio_id, date) index back a month at a time takes 32-53 ms. The plan: 20 + 1,200 backward probes of that index for
 * the 1,200 records kept, and two bitmap scans of (portfolio_id, cash_flow) for the cash flows.
 */
const PORTFOLIOS = 20;
const DAYS = 5 * 365;
const RUNS = 15;

async function created(server: TestServer, entity: string, body: Record<string, unknown>): Promise<string> {
  const result = await server.request('POST', `/nucleus/v1/${entity}`, { body });
  if (result.status !== 201) throw new Error(`${entity}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.id as string;
}

async function timedRequests(server: TestServer, path: string): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const answer = await server.request('GET', path);
    times.push(performance.now() - start);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return median(times);
}

/**
 * The index scans of the plan of the statement that read the asset sizes for `path`. The
 * statement is caught on its way to the database, so the plan is of exactly what the view ran.
 */
async function indexScans(server: TestServer, path: string): Promise<string[]> {
  const db = server.db;
  const query = db.query.bind(db);
  let statement: { sql: string; params: unknown[] } | undefined;
  db.query = (sql: string, params: unknown[] = []) => {
    if (sql.includes('nucleus_portfolio_asset_size')) statement = { sql, params };
    return query(sql, params);
  };
  try {
    await server.request('GET', path);
  } finally {
    db.query = query;
  }
  if (!statement) throw new Error(`${path} read no asset sizes`);
  const plan = await query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${statement.sql}`, statement.params);
  return plan.map((row) => row['QUERY PLAN'].trim().replace(/^->\s*/, '')).filter((line) => /^(Index|Bitmap Index|Seq) Scan/.test(line));
}

export async function assetSizeBench(): Promise<BenchFigure[]> {
  const server = await startServer();
  try {
    const client = await created(server, 'client', { username: 'wealthy@bench.test', client_type: 'individual' });
    const type = await created(server, 'account_type', { name: 'Brokerage' });
    const account = await created(server, 'account', { name: 'main', account_type_id: type, clients: [{ client_id: client, client_account_association_type: 'owner' }] });
    const model = await created(server, 'model', { name: 'Balanced' });
    const tenant = (await server.db.query<{ id: string }>('SELECT id FROM tenant LIMIT 1'))[0].id;
    const first = Date.UTC(2021, 0, 1);
    for (let p = 0; p < PORTFOLIOS; p++) {
      const portfolio = await created(server, 'portfolio', { name: `p${p}`, account_id: account, percentage: 100 / PORTFOLIOS, model_id: model });
      const docs = Array.from({ length: DAYS }, (_, day) => ({
        account_id: account,
        portfolio_id: portfolio,
        model_id: model,
        asset_size: 10_000 + p * 100 + day,
        cash_flow: 0,
        date: new Date(first + day * 86_400_000).toISOString(),
      }));
      await server.db.query(
        `INSERT INTO nucleus_portfolio_asset_size (tenant_id, id, create_date, update_date, doc)
         SELECT $1, gen_random_uuid(), now(), now(), d FROM jsonb_array_elements($2::jsonb) d`,
        [tenant, JSON.stringify(docs)],
      );
    }
    await server.db.query('ANALYZE nucleus_portfolio_asset_size');
    const path = `/nucleus/v1/client/${client}/asset_size?sort_type=M`;
    const baselineMs = await timedRequests(server, '/health');
    const ms = await timedRequests(server, path);
    console.log(`asset_size plan:\n${(await indexScans(server, path)).map((line) => `  ${line}`).join('\n')}`);
    return [
      {
        name: `client monthly asset_size (${PORTFOLIOS} portfolios x 5 years daily)`,
        ms,
        baselineName: 'GET /health',
        baselineMs,
        targetMs: 100,
      },
    ];
  } finally {
    await server.close();
  }
}
