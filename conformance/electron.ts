/**
 * Hand-written Electron requests. Every Electron operation names Nucleus records that must be
 * in a particular state (a client with a name, a card issued to a cardholder, a funding with
 * card_id and is_deposit, a spending control the processor can enforce), which no body built
 * from the spec can express. Each builder therefore prepares its own records over the API, in
 * the order the card lifecycle needs, and only then hands back the request to be judged.
 *
 * Each request gets fresh records of its own rather than sharing one card: the run orders
 * non-CRUD operations by method only (POST before PUT), and a shared card would be closed or
 * replaced by one operation before another needed it active. Preparation is never judged; if
 * a step of it fails, the operation is reported not exercised with that step's answer.
 */
import { randomBytes } from 'node:crypto';
import type { HttpResult } from '../test/support/server.ts';
import { isObject, serverMessage } from './judge.ts';
import type { HandWrittenRequest, RequestKit } from './requests.ts';

type Call = RequestKit['request'];
type Prepared = HandWrittenRequest | { error: string };

class PrepareError extends Error {}

function expect(result: HttpResult<unknown>, status: number, what: string): Record<string, unknown> {
  if (result.status !== status || !isObject(result.body)) throw new PrepareError(`${what} answered ${result.status}${serverMessage(result.body)}`);
  return result.body;
}

async function nucleus(call: Call, entity: string, body: Record<string, unknown>): Promise<string> {
  return expect(await call('POST', `/nucleus/v1/${entity}`, body), 201, `POST /nucleus/v1/${entity}`).id as string;
}

async function electron(call: Call, path: string, body: Record<string, unknown>): Promise<void> {
  expect(await call('POST', `/electron/v1${path}`, body), 200, `POST /electron/v1${path}`);
}

const tag = () => randomBytes(4).toString('hex');

/** A named client with an account, a portfolio and an unissued card on it (as test/electron/program.ts). */
async function cardOwner(call: Call): Promise<{ client: string; card: string }> {
  const n = tag();
  const client = await nucleus(call, 'client', { username: `cardholder-${n}@example.com`, client_type: 'individual', first_name: 'Conformance', last_name: `Holder${n}` });
  const account_type_id = await nucleus(call, 'account_type', { name: `Card account ${n}` });
  const account = await nucleus(call, 'account', { name: `Card account ${n}`, account_type_id, clients: [{ client_id: client, client_account_association_type: 'owner' }] });
  const portfolio = await nucleus(call, 'portfolio', { name: `Card portfolio ${n}`, account_id: account, percentage: 100, currency_code: 'USD' });
  const card = await nucleus(call, 'card', { card_holder_name: `Conformance Holder${n}`, card_issuance: 'virtual', card_name: 'Everyday', card_type: 'debit', portfolio_id: portfolio, client_id: client });
  return { client, card };
}

type CardState = 'unissued' | 'issued' | 'active' | 'suspended';

/** A fresh card brought to a state: cardholder → issue → reactivate (activates) → suspend. */
async function cardIn(call: Call, state: CardState): Promise<{ client: string; card: string }> {
  const owner = await cardOwner(call);
  if (state === 'unissued') return owner;
  await electron(call, '/card/client', { nucleus_client_id: owner.client });
  await electron(call, '/card/issue', { nucleus_card_id: owner.card });
  if (state === 'issued') return owner;
  await electron(call, '/card/reactivate', { nucleus_card_id: owner.card });
  if (state === 'suspended') await electron(call, '/card/suspend', { nucleus_card_id: owner.card });
  return owner;
}

/** A one-time USD funding of the card (the sandbox program's currency). */
function funding(call: Call, card: string, amount: number, is_deposit: boolean, extra: Record<string, unknown> = {}): Promise<string> {
  return nucleus(call, 'funding', {
    card_id: card, amount, currency_code: 'USD', is_deposit, funding_type: 'card', funding_status: 'requested',
    frequency_unit: 'one_time', start_date: '2025-01-01', ...extra,
  });
}

/** A control the sandbox can enforce: a daily spending limit over all purchases. */
async function spendingControl(call: Call): Promise<string> {
  const { client } = await cardIn(call, 'active');
  return nucleus(call, 'spending_control', { client_id: client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
}

const prepared =
  (make: (call: Call) => Promise<HandWrittenRequest>) =>
  async (kit: RequestKit): Promise<Prepared> => {
    try {
      return await make(kit.request);
    } catch (error) {
      if (error instanceof PrepareError) return { error: `preparing it: ${error.message}` };
      throw error;
    }
  };

const onCard = (state: CardState) => prepared(async (call) => ({ body: { nucleus_card_id: (await cardIn(call, state)).card } }));

/** Matched against "METHOD /electron/v1/...", as HAND_WRITTEN is. */
export const ELECTRON_REQUESTS: [RegExp, (kit: RequestKit) => Promise<Prepared>][] = [
  [/^POST \/electron\/v1\/card\/client$/, prepared(async (call) => ({ body: { nucleus_client_id: (await cardOwner(call)).client } }))],
  [
    /^PUT \/electron\/v1\/card\/client\/\{nucleus_client_id\}$/,
    prepared(async (call) => {
      const { client } = await cardOwner(call);
      await electron(call, '/card/client', { nucleus_client_id: client });
      return { params: { nucleus_client_id: client }, body: undefined };
    }),
  ],
  [/^POST \/electron\/v1\/card\/issue$/, prepared(async (call) => {
    const { client, card } = await cardOwner(call);
    await electron(call, '/card/client', { nucleus_client_id: client });
    return { body: { nucleus_card_id: card } };
  })],
  // Reactivate is exercised on a suspended card (activating an issued one is part of preparing).
  [/^POST \/electron\/v1\/card\/reactivate$/, onCard('suspended')],
  [/^POST \/electron\/v1\/card\/suspend$/, onCard('active')],
  // Close needs a card with no money on it; replace is asked of an active card in use.
  [/^POST \/electron\/v1\/card\/close$/, onCard('active')],
  [/^POST \/electron\/v1\/card\/replace$/, onCard('active')],
  [/^POST \/electron\/v1\/card\/load$/, prepared(async (call) => ({ body: { nucleus_funding_id: await funding(call, (await cardIn(call, 'active')).card, 25, true) } }))],
  // An unload needs money on the card: a load first, then a withdrawal funding.
  [
    /^POST \/electron\/v1\/card\/unload$/,
    prepared(async (call) => {
      const { card } = await cardIn(call, 'active');
      await electron(call, '/card/load', { nucleus_funding_id: await funding(call, card, 25, true) });
      return { body: { nucleus_funding_id: await funding(call, card, 10, false) } };
    }),
  ],
  [
    /^POST \/electron\/v1\/ach\/card$/,
    prepared(async (call) => {
      const { card, client } = await cardIn(call, 'active');
      const bank_link_id = await nucleus(call, 'bank_link', { client_id: client, bank_account_holder: 'Conformance Holder', bank_account_number: '000123456789', institution_name: 'First Sandbox Bank', routing: '021000021' });
      return { body: { nucleus_funding_id: await funding(call, card, 30, true, { bank_link_id, funding_type: 'bank', transfer_type: 'ach' }) } };
    }),
  ],
  [/^POST \/electron\/v1\/card\/spending_control$/, prepared(async (call) => ({ body: { nucleus_spending_control_id: await spendingControl(call) } }))],
  [
    /^PUT \/electron\/v1\/card\/spending_control\/\{nucleus_spending_control_id\}$/,
    prepared(async (call) => {
      const id = await spendingControl(call);
      await electron(call, '/card/spending_control', { nucleus_spending_control_id: id });
      return { params: { nucleus_spending_control_id: id }, body: undefined };
    }),
  ],
];
