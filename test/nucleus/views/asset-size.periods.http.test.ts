import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';
import { post } from './world.ts';

interface Point {
  date: string;
  value: number;
  cash_flow: number;
  additions: number;
}

/** The last point of each period of a daily series, its cash flows added up: worked out here, apart from the server. */
function bucket(daily: Point[], key: (date: string) => string): Point[] {
  const periods = new Map<string, Point[]>();
  for (const point of daily) periods.set(key(point.date), [...(periods.get(key(point.date)) ?? []), point]);
  return [...periods.values()].map((points) => ({
    ...points[points.length - 1],
    // Sums of cents, compared after rounding to the cent.
    cash_flow: Math.round(points.reduce((sum, p) => sum + p.cash_flow * 100, 0)) / 100,
  }));
}

describe('asset sizes by period equal the daily series bucketed', () => {
  let server: TestServer;
  let client: string;
  before(async () => {
    server = await startServer();
    client = await post(server, 'client', { username: 'periods', client_type: 'individual' });
    const type = await post(server, 'account_type', { name: 'T' });
    const account = await post(server, 'account', { name: 'A', account_type_id: type, clients: [{ client_id: client, client_account_association_type: 'owner' }] });
    const [tenant] = await server.db.query<{ tenant_id: string }>('SELECT tenant_id FROM nucleus_client LIMIT 1');
    for (let i = 0; i < 3; i++) {
      const portfolio = await post(server, 'portfolio', { name: `P${i}`, account_id: account, percentage: 10 });
      // Irregular days (every 1, 2 or 3 days), a deposit now and then, and on some days a second, later record.
      await server.db.query(
        `INSERT INTO nucleus_portfolio_asset_size (tenant_id, id, create_date, update_date, doc)
         SELECT $1, gen_random_uuid(), now(), now(), jsonb_build_object('portfolio_id', $2::text, 'account_id', $3::text,
           'date', to_char(d + (CASE WHEN k = 1 THEN interval '2 hours' ELSE interval '0' END), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'asset_size', (1000 + $4::int * 100 + (extract(doy FROM d)::int * 37 % 101) + k * 0.25)::numeric(12, 2),
           'cash_flow', CASE WHEN extract(day FROM d)::int % 9 = $4::int THEN 12.34 ELSE 0 END)
         FROM generate_series('2022-11-20 15:00'::timestamp, '2024-02-10', ($4::int + 1) * interval '1 day') d,
              generate_series(0, CASE WHEN extract(day FROM d)::int % 5 = 0 THEN 1 ELSE 0 END) k`,
        [tenant.tenant_id, portfolio, account, i],
      );
    }
  });
  after(() => server.close());

  async function series(query: string): Promise<Point[]> {
    const result = await server.request('GET', `/nucleus/v1/client/${client}/asset_size?${query}`);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return result.body.map(({ date, value, cash_flow, additions }: Point) => ({ date, value, cash_flow, additions }));
  }

  for (const range of ['', 'start_date=2023-03-15&end_date=2023-12-20&']) {
    it(`for months, quarters and years${range ? ' within a range' : ''}`, async () => {
      const daily = await series(`${range}sort_type=D`);
      assert.ok(daily.length > 200);
      const quarter = (date: string) => `${date.slice(0, 4)}-${Math.floor((Number(date.slice(5, 7)) - 1) / 3)}`;
      assert.deepEqual(await series(`${range}sort_type=M`), bucket(daily, (date) => date.slice(0, 7)));
      assert.deepEqual(await series(`${range}sort_type=Q`), bucket(daily, quarter));
      assert.deepEqual(await series(`${range}sort_type=Y`), bucket(daily, (date) => date.slice(0, 4)));
      assert.deepEqual(await series(`${range}get_latest=true`), daily.slice(-1));
    });
  }
});
