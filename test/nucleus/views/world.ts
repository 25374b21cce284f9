import assert from 'node:assert/strict';
import type { TestServer } from '../../support/server.ts';

/**
 * A small wealth book shared by the view tests, built through the API. Every figure the
 * tests expect is worked out by hand from these records.
 *
 *   client ann ─ account A1 (goal G1) ─ P1 (USD), P2 (USD, subledger)
 *   ann + bob ─ account A2 ─ P3 (USD)          card K draws on P3
 *   client bob (business B) ─ account A3 ─ P4 (EUR)
 *   household H: ann, bob
 */
export interface World {
  clients: { ann: string; bob: string };
  business: string;
  household: string;
  accounts: { A1: string; A2: string; A3: string };
  portfolios: { P1: string; P2: string; P3: string; P4: string };
  goals: { G1: string; G2: string };
  card: string;
  securities: { S1: string; S2: string; S3: string };
  models: { M1: string; M2: string };
  allocation: string;
  benchmark: string;
  transactionCodes: { buy: string; sell: string };
}

export async function post(server: TestServer, entity: string, body: object): Promise<string> {
  const result = await server.request('POST', `/nucleus/v1/${entity}`, { body });
  assert.equal(result.status, 201, `${entity}: ${JSON.stringify(result.body)}`);
  return result.body.id;
}

export async function buildWorld(server: TestServer): Promise<World> {
  const p = (entity: string, body: object) => post(server, entity, body);
  const business = await p('business', { legal_name: 'Bob Builders LLC' });
  const ann = await p('client', { username: 'ann@example.com', client_type: 'individual', first_name: 'Ann', last_name: 'Lee' });
  const bob = await p('client', { username: 'bob@example.com', client_type: 'individual', first_name: 'Bob', last_name: 'Ray', business_id: business });
  const household = await p('household', { name: 'Lee-Ray', members: [{ client_id: ann, is_primary: true }, { client_id: bob }] });
  const G1 = await p('goal', { name: 'Retirement', client_id: ann, goal_amount: 100000 });
  const G2 = await p('goal', { name: 'House', client_id: ann, goal_amount: 50000 });
  const type = await p('account_type', { name: 'Brokerage' });
  const owner = (client_id: string) => ({ client_id, client_account_association_type: 'owner' });
  const A1 = await p('account', { name: 'Ann brokerage', account_type_id: type, clients: [owner(ann)], goals: [{ goal_id: G1 }] });
  const A2 = await p('account', { name: 'Joint', account_type_id: type, clients: [owner(ann), owner(bob)] });
  const A3 = await p('account', { name: 'Bob euro', account_type_id: type, clients: [owner(bob)] });
  const M1 = await p('model', { name: 'Growth' });
  const M2 = await p('model', { name: 'Income' });
  const P1 = await p('portfolio', { name: 'P1', account_id: A1, percentage: 80, model_id: M1, currency_code: 'USD' });
  const P2 = await p('portfolio', { name: 'P2', account_id: A1, percentage: 20, model_id: M1, currency_code: 'USD', is_subledger: true });
  const P3 = await p('portfolio', { name: 'P3', account_id: A2, percentage: 100, model_id: M2, currency_code: 'USD' });
  const P4 = await p('portfolio', { name: 'P4', account_id: A3, percentage: 100, model_id: M2, currency_code: 'EUR' });
  const card = await p('card', { card_holder_name: 'Ann Lee', card_issuance: 'virtual', card_name: 'Everyday', card_type: 'debit', portfolio_id: P3, client_id: ann });

  const modelOf: Record<string, string> = { [P1]: M1, [P2]: M1, [P3]: M2, [P4]: M2 };
  const accountOf: Record<string, string> = { [P1]: A1, [P2]: A1, [P3]: A2, [P4]: A3 };
  const size = (portfolio_id: string, day: string, asset_size: number, cash_flow = 0) =>
    p('portfolio_asset_size', { portfolio_id, account_id: accountOf[portfolio_id], model_id: modelOf[portfolio_id], date: `${day}T16:00:00Z`, asset_size, cash_flow });
  await size(P1, '2024-01-01', 1000.1, 1000.1);
  await size(P1, '2024-01-15', 1010.2);
  await size(P1, '2024-02-01', 1020.3);
  await size(P1, '2024-04-01', 1100, 50);
  await size(P2, '2024-01-10', 200.05, 200.05);
  await size(P2, '2024-02-01', 210.1);
  await size(P3, '2024-01-15', 300.33, 300.33);
  await size(P3, '2024-03-31', 310);
  await size(P4, '2024-01-01', 500, 500);
  await size(P4, '2024-02-01', 520);
  // P1 served G1 until it moved to G2; P3 serves G1 for half its value.
  await p('portfolio_goal', { portfolio_id: P1, date: '2023-12-01', goals: [{ goal_id: G1, weight: 100 }] });
  await p('portfolio_goal', { portfolio_id: P1, date: '2024-01-01', goals: [{ goal_id: G2, weight: 100 }] });
  await p('portfolio_goal', { portfolio_id: P3, date: '2024-01-01', goals: [{ goal_id: G1, weight: 50 }] });

  const S1 = await p('security', { name: 'Stock one', ticker: 'ONE' });
  const S2 = await p('security', { name: 'Stock two', ticker: 'TWO' });
  const S3 = await p('security', { name: 'Stock three', ticker: 'THR' });
  const price = (security_id: string, day: string, value: number) => p('security_price', { security_id, date: `${day}T21:00:00Z`, price: value });
  await price(S1, '2024-01-01', 100);
  await price(S1, '2024-01-20', 105);
  await price(S1, '2024-02-01', 108.25);
  await price(S2, '2024-01-01', 10);
  await price(S2, '2024-01-02', 11);
  await price(S2, '2024-01-03', 12);
  await price(S3, '2024-01-02', 20);
  await price(S3, '2024-01-03', 18);
  const holding = (portfolio_id: string, day: string, security_id: string, shares: number, extra: object = {}) =>
    p('portfolio_holding', { portfolio_id, account_id: accountOf[portfolio_id], model_id: modelOf[portfolio_id], date: `${day}T16:00:00Z`, security_id, shares, ...extra });
  await holding(P1, '2024-01-01', S1, 10, { amount: 1000, cost_basis: 900 });
  await holding(P1, '2024-01-01', S2, 5, { amount: 500 });
  await holding(P1, '2024-02-01', S1, 12, { amount: 1300 });
  await holding(P2, '2024-01-10', S1, 1);
  await holding(P2, '2024-01-10', S3, 2, { amount: 200.1 });

  const benchmark = await p('benchmark', { name: '60/40', composition: [{ security_id: S2, weight: 60 }, { security_id: S3, weight: 40 }] });
  const allocation = await p('allocation', { name: 'Balanced' });
  await p('allocation_composition', { allocation_id: allocation, model_id: M1, date: '2023-01-01', current_weight: 100, strategic_weight: 100 });
  await p('allocation_composition', { allocation_id: allocation, model_id: M1, date: '2024-01-01', current_weight: 60, strategic_weight: 50 });
  await p('allocation_composition', { allocation_id: allocation, model_id: M2, date: '2024-01-01', current_weight: 40, strategic_weight: 50 });
  await p('model_asset_size', { model_id: M1, date: '2024-01-01', asset_size: 1000 });
  await p('model_asset_size', { model_id: M1, date: '2024-01-02', asset_size: 1010 });
  await p('model_asset_size', { model_id: M2, date: '2024-01-01', asset_size: 2000 });
  await p('model_asset_size', { model_id: M2, date: '2024-01-03', asset_size: 1990 });

  const buy = await p('transaction_code', { transaction_code: 'BUY', is_buy: true });
  const sell = await p('transaction_code', { transaction_code: 'SELL', is_buy: false });
  return {
    clients: { ann, bob },
    business,
    household,
    accounts: { A1, A2, A3 },
    portfolios: { P1, P2, P3, P4 },
    goals: { G1, G2 },
    card,
    securities: { S1, S2, S3 },
    models: { M1, M2 },
    allocation,
    benchmark,
    transactionCodes: { buy, sell },
  };
}

/** EUR→USD 1.1 from Jan 1 and 1.2 from Feb 1, through the resource API. */
export async function storeEuroRates(server: TestServer): Promise<void> {
  const result = await server.request('POST', '/nucleus/v1/resource/fx_rate', {
    body: [
      { currency_code_from: 'EUR', currency_code_to: 'USD', date: '2024-01-01T00:00:00Z', exchange_rate: 1.1 },
      { currency_code_from: 'EUR', currency_code_to: 'USD', date: '2024-02-01T00:00:00Z', exchange_rate: 1.2 },
    ],
  });
  assert.ok(result.status === 200 || result.status === 201, JSON.stringify(result.body));
}
