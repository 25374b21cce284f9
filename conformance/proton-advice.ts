/**
 * Hand-written requests for Proton's advice operations. Most of them read Nucleus records a
 * body built from the spec cannot name: prices of real tickers, a model with holdings, a
 * portfolio to rebalance, an answer of a decision tree. Each builder makes fresh records with
 * kit.request first; a step that fails reports the operation not exercised, with its answer.
 */
import { randomBytes } from 'node:crypto';
import type { HttpResult } from '../test/support/server.ts';
import { isObject, serverMessage } from './judge.ts';
import type { Builder, HandWrittenRequest, RequestKit } from './requests.ts';

type Call = RequestKit['request'];

class PrepareError extends Error {}

async function create(call: Call, entity: string, body: Record<string, unknown>): Promise<string> {
  const result: HttpResult<unknown> = await call('POST', `/nucleus/v1/${entity}`, body);
  if (result.status !== 201 || !isObject(result.body)) throw new PrepareError(`POST /nucleus/v1/${entity} answered ${result.status}${serverMessage(result.body)}`);
  return result.body.id as string;
}

const DAYS = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-12', '2026-01-13', '2026-01-14', '2026-02-02', '2026-02-03'];
const PATHS: Record<string, number[]> = {
  A: [100, 101, 100.5, 102, 103.1, 102.4, 104, 103.5, 105.2, 106],
  B: [50, 50.2, 50.5, 50.3, 50.6, 50.9, 50.8, 51.1, 51.3, 51.2],
  C: [20, 19.8, 20.3, 20.1, 19.9, 20.4, 20.6, 20.2, 20.8, 21],
};

/** Three securities with fresh tickers and ten days of prices; their tickers and ids by letter. */
async function securities(call: Call): Promise<Record<string, { ticker: string; id: string }>> {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const made: Record<string, { ticker: string; id: string }> = {};
  for (const [letter, prices] of Object.entries(PATHS)) {
    const ticker = `${letter}${tag}`;
    const id = await create(call, 'security', { name: `Conformance ${ticker}`, ticker });
    for (const [i, day] of DAYS.entries()) await create(call, 'security_price', { security_id: id, date: `${day}T21:00:00Z`, price: prices[i] });
    made[letter] = { ticker, id };
  }
  return made;
}

/** A model holding the securities at 50 / 30 / 20 percent. */
async function model(call: Call, held: Record<string, { id: string }>): Promise<string> {
  const id = await create(call, 'model', { name: 'Conformance model', drift_rebal: true, default_drift_factor: 0.01, period_rebal: true, rebalance_period: 3 });
  for (const [letter, weight] of [['A', 50], ['B', 30], ['C', 20]] as const) {
    await create(call, 'model_holding', { model_id: id, security_id: held[letter].id, date: '2026-01-01', current_weight: weight, strategic_weight: weight });
  }
  return id;
}

const prepared =
  (make: (call: Call) => Promise<HandWrittenRequest>): Builder =>
  async (kit) => {
    try {
      return await make(kit.request);
    } catch (error) {
      if (error instanceof PrepareError) return { error: `preparing it: ${error.message}` };
      throw error;
    }
  };

const portfolioScore = prepared(async (call) => {
  const held = await securities(call);
  return { body: { portfolio_tickers: [held.A.ticker, held.B.ticker, held.C.ticker], portfolio_weights: [0.5, 0.3, 0.2] } };
});

/** Matched against "METHOD /proton/v1/...", as HAND_WRITTEN is. */
export const PROTON_ADVICE_REQUESTS: [RegExp, Builder][] = [
  [
    /^POST \/proton\/v1\/decision_tree_result$/,
    async (kit) => {
      const answer_id = kit.liveId('answer');
      return answer_id ? { body: { entity_type: 'allocation', answers: [{ answer_id }] } } : { error: 'no live answer' };
    },
  ],
  [/^POST \/proton\/v1\/diversification_score$/, portfolioScore],
  [/^POST \/proton\/v1\/portfolio_optimization_score$/, portfolioScore],
  [
    /^POST \/proton\/v1\/rebalancing_signal$/,
    prepared(async (call) => ({ body: { start_date: DAYS[0], end_date: DAYS[DAYS.length - 1], model_id: await model(call, await securities(call)) } })),
  ],
  [
    /^POST \/proton\/v1\/order_rebalance$/,
    prepared(async (call) => {
      const held = await securities(call);
      const modelId = await model(call, held);
      const client = await create(call, 'client', { username: `rebalance-${randomBytes(4).toString('hex')}@example.com`, client_type: 'individual' });
      const account_type_id = await create(call, 'account_type', { name: 'Conformance managed' });
      const account = await create(call, 'account', { name: 'Conformance managed', account_type_id, clients: [{ client_id: client, client_account_association_type: 'owner' }] });
      const portfolio = await create(call, 'portfolio', { name: 'Conformance core', account_id: account, percentage: 100, model_id: modelId });
      for (const [letter, shares] of [['A', 60], ['B', 40], ['C', 40]] as const) {
        await create(call, 'portfolio_holding', { portfolio_id: portfolio, account_id: account, model_id: modelId, security_id: held[letter].id, date: '2026-02-03T22:00:00Z', shares });
      }
      const buy = await create(call, 'transaction_code', { transaction_code: 'CONF-BUY', is_buy: true });
      const sell = await create(call, 'transaction_code', { transaction_code: 'CONF-SELL', is_buy: false });
      return { body: { account_id: account, order_scope: 'all', buy_transaction_code_id: buy, sell_transaction_code_id: sell } };
    }),
  ],
];
