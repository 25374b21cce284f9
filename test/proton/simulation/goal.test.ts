import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';
import { twoClients } from './clients.ts';

const accumulation = {
  p_ret: [0.06],
  p_risk: [0.12],
  curr_inv: 10000,
  horizon: 10,
  goal_config: { goal_amount: 25000 },
  deposit_config: [{ dep_amount: 500 }],
  recommend_type: 'recurring',
  n: 1000,
  seed: 3,
};

const decumulation = {
  p_ret: [0.05],
  p_risk: [0.1],
  curr_inv: 200000,
  a_horizon: 5,
  d_horizon: 20,
  withdrawal_config: [{ with_amount: 15000 }],
  recommend_type: 'one-time',
  n: 1000,
  seed: 3,
};

describe('goal endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  test('goal_accumulation/status: probability, projection and a recommendation that reaches the target when fed back', async () => {
    const { p_ret: _p, ...withoutReturn } = accumulation;
    const body = await checkEndpoint(server, '/goal_accumulation/status', accumulation, { body: withoutReturn, field: 'p_ret' });
    const current = body.current_status;
    assert.equal(current.projection.length, 11);
    assert.equal(current.projection[0].balance_p50, 10000);
    assert.equal(current.projection[1].deposits, 500);
    assert.equal(current.target_amount, 25000);
    assert.equal(current.total_deposits, 5000);
    assert.equal(current.on_track, current.goal_probability >= 0.9);
    assert.ok(current.final_balance.p10 <= current.final_balance.p50 && current.final_balance.p50 <= current.final_balance.p90);
    assert.equal(body.recommendation.recommend_type, 'recurring');
    assert.ok(body.recommended_status.goal_probability >= 0.9);
    const fedBack = await server.request('POST', '/proton/v1/goal_accumulation/status', {
      body: {
        ...accumulation,
        deposit_config: [...accumulation.deposit_config, { dep_amount: body.recommendation.recurring_deposit }],
        recommendation_config: { recommend: false },
      },
    });
    assert.equal(fedBack.status, 200);
    assert.ok(fedBack.body.current_status.goal_probability >= 0.9, JSON.stringify(fedBack.body.current_status.goal_probability));
    assert.equal(fedBack.body.recommendation, null);
  });

  test('goal_accumulation/recommendation: a one-time investment and a horizon, each reaching the target when fed back', async () => {
    const oneTime = await checkEndpoint(server, '/goal_accumulation/recommendation', { ...accumulation, recommend_type: 'one-time' }, { body: { ...accumulation, n: 100_001 }, field: 'n' });
    const invest = oneTime.recommendation.one_time_investment;
    assert.ok(invest > 0);
    const fed = await server.request('POST', '/proton/v1/goal_accumulation/status', { body: { ...accumulation, curr_inv: accumulation.curr_inv + invest, recommendation_config: { recommend: false } } });
    assert.ok(fed.body.current_status.goal_probability >= 0.9);
    const horizon = await server.request('POST', '/proton/v1/goal_accumulation/recommendation', { body: { ...accumulation, recommend_type: 'horizon' } });
    assert.equal(horizon.status, 200);
    const years = horizon.body.recommendation.horizon;
    assert.ok(years > 10 && horizon.body.recommendation.reached);
    const later = await server.request('POST', '/proton/v1/goal_accumulation/status', { body: { ...accumulation, horizon: years, recommendation_config: { recommend: false } } });
    assert.ok(later.body.current_status.goal_probability >= 0.9);
  });

  test('400s naming the field: a missing horizon, a backwards bound, a perc threshold above 1', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ horizon: null }, 'horizon'],
      [{ recommendation_config: { dep_min: 10, dep_max: 5 } }, 'recommendation_config.dep_max'],
      [{ thresh: 5 }, 'thresh'],
      [{ deposit_config: [{ dep_frequency: 'fortnight' }] }, 'deposit_config[0].dep_frequency'],
    ];
    for (const [change, field] of cases) {
      const result = await server.request('POST', '/proton/v1/goal_accumulation/status', { body: { ...accumulation, ...change } });
      assert.equal(result.status, 400, JSON.stringify(change));
      assert.equal(result.body.field, field, JSON.stringify(result.body));
    }
  });

  test('goal_decumulation/status and recommendation: withdrawals from the end of accumulation, fed back', async () => {
    const { withdrawal_config: _w, ...without } = decumulation;
    const status = await checkEndpoint(server, '/goal_decumulation/status', decumulation, { body: without, field: 'withdrawal_config' });
    const current = status.current_status;
    assert.equal(current.projection.length, 26);
    assert.equal(current.projection[5].withdrawals, 0);
    assert.equal(current.projection[6].withdrawals, 15000);
    assert.equal(current.target_amount, 15000 * 20);
    assert.equal(current.decumulation_horizon, 20);
    const found = await checkEndpoint(server, '/goal_decumulation/recommendation', decumulation, { body: { ...decumulation, conf_tgt: 2 }, field: 'conf_tgt' });
    const invest = found.recommendation.one_time_investment;
    const fed = await server.request('POST', '/proton/v1/goal_decumulation/status', { body: { ...decumulation, curr_inv: decumulation.curr_inv + invest, recommendation_config: { recommend: false } } });
    assert.ok(fed.body.current_status.goal_probability >= 0.9);
    if (invest > 0) {
      const less = await server.request('POST', '/proton/v1/goal_decumulation/status', { body: { ...decumulation, curr_inv: decumulation.curr_inv + invest - 0.01, recommendation_config: { recommend: false } } });
      assert.ok(less.body.current_status.goal_probability < 0.9);
    }
  });

  test('a Nucleus goal fills the amount and horizon; another client cannot name it', async () => {
    const people = await twoClients(server, 'goal');
    const goal = await server.request('POST', '/nucleus/v1/goal', { body: { name: 'House', client_id: people.owner.id, goal_amount: 40000, accumulation_horizon: 8 } });
    assert.equal(goal.status, 201, JSON.stringify(goal.body));
    const { horizon: _h, goal_config: _g, ...plain } = accumulation;
    const request = { ...plain, goal_id: goal.body.id };
    const own = await server.request('POST', '/proton/v1/goal_accumulation/status', { token: people.owner.token, body: request });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.current_status.target_amount, 40000);
    assert.equal(own.body.current_status.accumulation_horizon, 8);
    const foreign = await server.request('POST', '/proton/v1/goal_accumulation/status', { token: people.outsider.token, body: request });
    assert.equal(foreign.status, 404);
    const foreignClient = await server.request('POST', '/proton/v1/goal_decumulation/status', { token: people.outsider.token, body: { ...decumulation, client_id: people.owner.id } });
    assert.equal(foreignClient.status, 404);
    const other = await server.otherTenant();
    const tenant = await server.request('POST', '/proton/v1/goal_accumulation/status', { token: other.token, body: request });
    assert.equal(tenant.status, 404);
  });

  test("every goal endpoint: 401 without a token, 404 for another client's goal or another tenant's allocation", async () => {
    const people = await twoClients(server, 'every');
    const goal = await server.request('POST', '/nucleus/v1/goal', { body: { name: 'Retirement', client_id: people.owner.id, goal_amount: 50000, accumulation_horizon: 5, decumulation_horizon: 10 } });
    const allocation = await server.request('POST', '/nucleus/v1/allocation', { body: { name: 'Only', performance: 0.05, volatility: 0.08 } });
    const other = await server.otherTenant();
    const { p_ret: _a, p_risk: _b, ...accumulationRest } = accumulation;
    const { p_ret: _c, p_risk: _d, ...decumulationRest } = decumulation;
    const select = { allocations: [allocation.body.id], allocation_method: 'select', allocation_priority: 'goal' };
    const requests: [string, Record<string, unknown>][] = [
      ['/goal_accumulation/status', accumulation],
      ['/goal_accumulation/recommendation', accumulation],
      ['/goal_accumulation/allocation', { ...accumulationRest, ...select }],
      ['/goal_decumulation/status', decumulation],
      ['/goal_decumulation/recommendation', decumulation],
      ['/goal_decumulation/allocation', { ...decumulationRest, ...select }],
    ];
    for (const [path, body] of requests) {
      const own = await server.request('POST', `/proton/v1${path}`, { body: { ...body, goal_id: goal.body.id } });
      assert.equal(own.status, 200, `${path} ${JSON.stringify(own.body)}`);
      const anonymous = await server.request('POST', `/proton/v1${path}`, { body, token: null });
      assert.equal(anonymous.status, 401, path);
      const foreign = await server.request('POST', `/proton/v1${path}`, { token: people.outsider.token, body: { ...body, goal_id: goal.body.id } });
      assert.equal(foreign.status, 404, path);
      if (path.endsWith('allocation')) {
        const tenant = await server.request('POST', `/proton/v1${path}`, { token: other.token, body });
        assert.equal(tenant.status, 404, path);
      }
    }
  });

  test('allocation: select by goal picks the least volatile allocation on track; by risk the best within the risk score', async () => {
    const make = async (name: string, performance: number, volatility: number) =>
      (await server.request('POST', '/nucleus/v1/allocation', { body: { name, performance, volatility } })).body.id as string;
    const cautious = await make('Cautious', 0.02, 0.03);
    const balanced = await make('Balanced', 0.08, 0.1);
    const bold = await make('Bold', 0.1, 0.2);
    const allocations = [bold, balanced, cautious];
    const { p_ret: _r, p_risk: _k, ...rest } = accumulation;
    const request = { ...rest, goal_config: { goal_amount: 17000 }, allocations, allocation_method: 'select', allocation_priority: 'goal' };
    const byGoal = await checkEndpoint(server, '/goal_accumulation/allocation', request, { body: { ...request, allocation_priority: 'cost' }, field: 'allocation_priority' });
    assert.equal(byGoal.allocations.length, 3);
    const onTrack = byGoal.allocations.filter((a: any) => a.goal_probability >= 0.9);
    assert.ok(onTrack.length > 0);
    assert.equal(byGoal.allocation.id, onTrack.sort((a: any, b: any) => a.volatility - b.volatility)[0].id);
    assert.equal(byGoal.allocation.id, balanced);
    assert.equal(byGoal.current_status.goal_probability, byGoal.allocation.goal_probability);
    const byRisk = await server.request('POST', '/proton/v1/goal_accumulation/allocation', { body: { ...request, allocation_priority: 'risk', risk_score: 0 } });
    assert.equal(byRisk.body.allocation.id, cautious);
    const decumulationChoice = await server.request('POST', '/proton/v1/goal_decumulation/allocation', {
      body: { ...decumulation, p_ret: undefined, p_risk: undefined, allocations, allocation_method: 'select', allocation_priority: 'risk', risk_score: 100 },
    });
    assert.equal(decumulationChoice.status, 200, JSON.stringify(decumulationChoice.body));
    const best = decumulationChoice.body.allocations.reduce((a: any, b: any) => (b.goal_probability > a.goal_probability ? b : a));
    assert.equal(decumulationChoice.body.allocation.goal_probability, best.goal_probability);
    const create = await server.request('POST', '/proton/v1/goal_accumulation/allocation', { body: { ...request, allocation_method: 'create' } });
    assert.equal(create.status, 400);
    assert.equal(create.body.field, 'opt_config');
    const other = await server.otherTenant();
    const tenant = await server.request('POST', '/proton/v1/goal_accumulation/allocation', { token: other.token, body: request });
    assert.equal(tenant.status, 404);
  });
  test('allocation create: the candidates are the efficient frontier of the tickers, and one is chosen by the goal rule', async () => {
    const drifts: Record<string, [number, number]> = { GSAFE: [0.0002, 0.001], GMID: [0.0006, 0.006], GBOLD: [0.001, 0.015] };
    for (const [ticker, [drift, swing]] of Object.entries(drifts)) {
      const security = await server.request('POST', '/nucleus/v1/security', { body: { name: ticker, ticker } });
      let price = 100;
      for (let day = 0; day < 40; day++) {
        await server.request('POST', '/nucleus/v1/security_price', { body: { security_id: security.body.id, date: new Date(Date.UTC(2024, 0, 1 + day)).toISOString(), price } });
        price *= 1 + drift + swing * Math.sin(day * 1.7 + ticker.length);
      }
    }
    const { p_ret: _r, p_risk: _k, ...rest } = accumulation;
    const opt_config = { tickers: Object.keys(drifts), sec_types: ['major', 'major', 'major'], min_assets: 1, w_config: { w_min_major: 0, w_max_major: 1, w_min_minor: 0, w_max_minor: 1, cash_amount: 0 } };
    const body = { ...rest, goal_config: { goal_amount: 16000 }, allocation_method: 'create', allocation_priority: 'goal', opt_config };
    const created = await server.request('POST', '/proton/v1/goal_accumulation/allocation', { body });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.ok(created.body.allocations.length >= 2);
    for (const candidate of created.body.allocations) {
      assert.equal(candidate.id, null);
      assert.ok(Math.abs(candidate.holdings.reduce((sum: number, h: any) => sum + h.weight, 0) - 1) < 1e-6);
    }
    const onTrack = created.body.allocations.filter((a: any) => a.goal_probability >= 0.9);
    const expected = onTrack.length > 0
      ? Math.min(...onTrack.map((a: any) => a.volatility))
      : created.body.allocations.reduce((a: any, b: any) => (b.goal_probability > a.goal_probability ? b : a)).volatility;
    assert.equal(created.body.allocation.volatility, expected);
    const unknown = await server.request('POST', '/proton/v1/goal_accumulation/allocation', { body: { ...body, opt_config: { ...opt_config, tickers: ['NOPE', 'GMID', 'GBOLD'] } } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, 'opt_config.tickers[0]');
  });
});
