import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { post, storeEuroRates } from './world.ts';

interface Point {
  date: string;
  value: number;
  cash_flow?: number;
  additions?: number;
}

/** The last point of each period of a daily series, its cash flows added up: worked out here, apart from the server. */
function bucket(daily: Point[], key: (date: string) => string): Point[] {
  const periods = new Map<string, Point[]>();
  for (const point of daily) periods.set(key(point.date), [...(periods.get(key(point.date)) ?? []), point]);
  return [...periods.values()].map((points) => {
    const last = points[points.length - 1];
    if (last.cash_flow === undefined) return last;
    return { ...last, cash_flow: Math.round(points.reduce((sum, p) => sum + p.cash_flow! * 100, 0)) / 100 };
  });
}

const month = (date: string) => date.slice(0, 7);
const quarter = (date: string) => `${date.slice(0, 4)}-${Math.floor((Number(date.slice(5, 7)) - 1) / 3)}`;
const year = (date: string) => date.slice(0, 4);

/**
 * Series by period are read from each portfolio's last record of each period and its records
 * with a cash flow only; these records make that reduction meet the cases it could get wrong.
 *
 *   client C ─ account A ─ PA (USD): no record in February, a withdrawal, two records on March's last day
 *                        └ PB (USD, subledger)
 *            └ account E ─ PE (EUR)
 */
describe('asset sizes by period, from the records each period needs', () => {
  let server: TestServer;
  let client: string;
  let account: string;
  let allocation: string;
  before(async () => {
    server = await startServer();
    await storeEuroRates(server);
    const p = (entity: string, body: object) => post(server, entity, body);
    client = await p('client', { username: 'reduced@example.com', client_type: 'individual' });
    const type = await p('account_type', { name: 'Brokerage' });
    const owner = [{ client_id: client, client_account_association_type: 'owner' }];
    account = await p('account', { name: 'A', account_type_id: type, clients: owner });
    const euroAccount = await p('account', { name: 'E', account_type_id: type, clients: owner });
    const PA = await p('portfolio', { name: 'PA', account_id: account, percentage: 80, currency_code: 'USD' });
    const PB = await p('portfolio', { name: 'PB', account_id: account, percentage: 20, currency_code: 'USD', is_subledger: true });
    const PE = await p('portfolio', { name: 'PE', account_id: euroAccount, percentage: 100, currency_code: 'EUR' });
    const accountOf: Record<string, string> = { [PA]: account, [PB]: account, [PE]: euroAccount };
    const model = await p('model', { name: 'Growth' });
    // In the order stored: the second record of PA on Mar 28 is the later one, so it holds the day's value.
    const sizes: [string, string, number, number][] = [
      [PA, '2024-01-05', 1000, 1000],
      [PB, '2024-01-10', 200, 200],
      [PE, '2024-01-15', 500, 500],
      [PA, '2024-01-20', 1010, 0],
      [PE, '2024-02-10', 510, 0],
      [PB, '2024-02-15', 210, 0],
      [PB, '2024-02-29', 215, 0],
      [PA, '2024-03-03', 990, -40.25],
      [PA, '2024-03-28', 995, 0],
      [PA, '2024-03-28', 996, 0],
      [PE, '2024-03-31', 520, -10],
      [PA, '2024-04-10', 1000.5, 0.5],
      [PB, '2024-04-30', 220, 5],
    ];
    for (const [portfolio_id, day, asset_size, cash_flow] of sizes) {
      await p('portfolio_asset_size', { portfolio_id, account_id: accountOf[portfolio_id], model_id: model, date: `${day}T16:00:00Z`, asset_size, cash_flow });
    }
    for (const [date, asset_size] of [['2023-12-30', 90], ['2024-01-02', 100], ['2024-01-31', 104], ['2024-03-01', 99], ['2024-03-15', 101]] as const) {
      await p('model_asset_size', { model_id: model, date, asset_size });
    }
    allocation = await p('allocation', { name: 'All growth' });
    await p('allocation_composition', { allocation_id: allocation, model_id: model, date: '2024-01-01', current_weight: 100, strategic_weight: 100 });
  });
  after(() => server.close());

  async function series(path: string, query: string, token?: string): Promise<Point[]> {
    const result = await server.request('GET', `/nucleus/v1/${path}/asset_size?${query}`, token ? { token } : {});
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return result.body.map(({ date, value, cash_flow, additions }: Point) => ({ date, value, cash_flow, additions }));
  }

  it('carries a portfolio without a record in a period at its earlier value, and counts withdrawals', async () => {
    assert.deepEqual(await series(`account/${account}`, 'sort_type=M'), [
      { date: '2024-01-20', value: 1210, cash_flow: 1200, additions: 1200 },
      // PA has no February record: its 1010 of Jan 20 counts with PB's 215.
      { date: '2024-02-29', value: 1225, cash_flow: 0, additions: 1200 },
      // The later of PA's two records of Mar 28 (996) holds the day's value.
      { date: '2024-03-28', value: 1211, cash_flow: -40.25, additions: 1159.75 },
      // PA's last April record carries a cash flow, which counts once.
      { date: '2024-04-30', value: 1220.5, cash_flow: 5.5, additions: 1165.25 },
    ]);
  });

  it('equals the daily series bucketed, leaving subledgers out', async () => {
    const daily = await series(`account/${account}`, 'exclude_subledger=true');
    assert.deepEqual(await series(`account/${account}`, 'exclude_subledger=true&sort_type=M'), bucket(daily, month));
    assert.deepEqual(bucket(daily, month).map((p) => [p.date, p.value]), [
      ['2024-01-20', 1010],
      ['2024-03-28', 996],
      ['2024-04-10', 1000.5],
    ]);
  });

  it('equals the daily series bucketed when converting currencies, by every period and within a range', async () => {
    for (const range of ['', 'start_date=2024-02-10&end_date=2024-04-15&', 'start_date=2024-01-12&end_date=2024-03-30&']) {
      const daily = await series(`client/${client}`, `${range}currency_conversion=USD`);
      assert.ok(daily.length >= 5, range);
      assert.deepEqual(await series(`client/${client}`, `${range}currency_conversion=USD&sort_type=M`), bucket(daily, month), range);
      assert.deepEqual(await series(`client/${client}`, `${range}currency_conversion=USD&sort_type=Q`), bucket(daily, quarter), range);
      assert.deepEqual(await series(`client/${client}`, `${range}currency_conversion=USD&sort_type=Y`), bucket(daily, year), range);
      assert.deepEqual(await series(`client/${client}`, `${range}currency_conversion=USD&get_latest=true`), daily.slice(-1), range);
    }
    // March ends with PE's 520 EUR at 1.2 beside PA's 996 and PB's 215; its flows are PA's -40.25 and PE's -10 EUR at 1.2.
    const march = (await series(`client/${client}`, 'currency_conversion=USD&sort_type=M'))[2];
    assert.deepEqual(march, { date: '2024-03-31', value: 1835, cash_flow: -52.25, additions: 1697.75 });
  });

  it('reduces a model\'s asset sizes for an allocation the same way', async () => {
    const daily = await series(`allocation/${allocation}`, '');
    assert.deepEqual(await series(`allocation/${allocation}`, 'sort_type=M'), bucket(daily, month));
    assert.deepEqual(
      (await series(`allocation/${allocation}`, 'start_date=2024-01-01&sort_type=M')).map((p) => [p.date, p.value]),
      [
        ['2024-01-31', 104],
        ['2024-03-15', 101],
      ],
    );
  });

  it('gives a client logged in as itself the same series, read through its access rules', async () => {
    const password = 'reduced-has-a-long-password';
    const updated = await server.request('PUT', `/nucleus/v1/client/${client}`, { body: { password, authorities: ['ROLE_CLIENT'] } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'reduced@example.com', password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const query = 'currency_conversion=USD&start_date=2024-01-12&sort_type=M';
    assert.deepEqual(await series(`client/${client}`, query, login.body.access_token), await series(`client/${client}`, query));
  });
});
