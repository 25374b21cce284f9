/**
 * Hand-written requests for Proton's simulation operations that name Nucleus records: the goal
 * allocation operations choose among allocation records (with performance and volatility), and
 * variable_annuity simulates securities whose stored prices give its return and risk. Each
 * builder creates those records first; preparation is never judged.
 */
import { randomBytes } from 'node:crypto';
import { isObject, serverMessage } from './judge.ts';
import type { Builder, RequestKit } from './requests.ts';
import { ACCUMULATION_EXAMPLE, DECUMULATION_EXAMPLE } from '../src/proton/simulation/goal.schema.ts';

type Call = RequestKit['request'];

class PrepareError extends Error {}

async function create(call: Call, entity: string, body: Record<string, unknown>): Promise<string> {
  const result = await call('POST', `/nucleus/v1/${entity}`, body);
  if (result.status !== 201 || !isObject(result.body)) throw new PrepareError(`POST /nucleus/v1/${entity} answered ${result.status}${serverMessage(result.body)}`);
  return result.body.id as string;
}

const prepared =
  (make: (call: Call) => Promise<Record<string, unknown>>): Builder =>
  async (kit) => {
    try {
      return { body: await make(kit.request) };
    } catch (error) {
      if (error instanceof PrepareError) return { error: `preparing it: ${error.message}` };
      throw error;
    }
  };

/** Three allocations from cautious to bold, for a goal to choose among. */
async function allocations(call: Call): Promise<string[]> {
  const ids: string[] = [];
  for (const [name, performance, volatility] of [['Cautious', 0.03, 0.04], ['Balanced', 0.06, 0.1], ['Bold', 0.09, 0.18]] as const) {
    ids.push(await create(call, 'allocation', { name: `Conformance ${name}`, performance, volatility }));
  }
  return ids;
}

/** A security with two years of month-end prices, and its ticker. */
async function pricedSecurity(call: Call): Promise<string> {
  const ticker = `CVA${randomBytes(3).toString('hex').toUpperCase()}`;
  const security = await create(call, 'security', { name: 'Conformance annuity fund', ticker });
  const monthly = [0.012, -0.004, 0.009, 0.015, -0.011, 0.006];
  let price = 100;
  for (let k = 0; k <= 24; k++) {
    await create(call, 'security_price', { security_id: security, date: new Date(Date.UTC(2023, k, 28)).toISOString(), price });
    price *= 1 + monthly[k % monthly.length];
  }
  return ticker;
}

const selecting = { allocation_method: 'select', allocation_priority: 'goal' };

export const PROTON_SIMULATION_REQUESTS: [RegExp, Builder][] = [
  [/^POST \/proton\/v1\/goal_accumulation\/allocation$/, prepared(async (call) => ({ ...ACCUMULATION_EXAMPLE, ...selecting, allocations: await allocations(call) }))],
  [/^POST \/proton\/v1\/goal_decumulation\/allocation$/, prepared(async (call) => ({ ...DECUMULATION_EXAMPLE, ...selecting, allocations: await allocations(call) }))],
  [
    /^POST \/proton\/v1\/variable_annuity$/,
    prepared(async (call) => ({
      portfolio_tickers: [await pricedSecurity(call)],
      portfolio_weights: [1],
      frequency_interval: 'month',
      accumulation_horizon: 2,
      decumulation_horizon: 2,
      initial_balance: 10000,
      deposit_schedule: { deposit_amount: 100, deposit_frequency_interval: 'month' },
      n: 200,
      seed: 1,
    })),
  ],
];
