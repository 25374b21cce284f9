/**
 * Hand-written requests for Proton's card operations. Each names Nucleus records (a card, a
 * cardholder) that must exist first, so each builder makes a cardholder with a card, a few
 * card transactions and a spending control over the API, then hands back the request.
 */
import { randomBytes } from 'node:crypto';
import type { Builder, RequestKit } from './requests.ts';

class PrepareError extends Error {}

async function made(kit: RequestKit, entity: string, body: Record<string, unknown>): Promise<string> {
  const result = await kit.request('POST', `/nucleus/v1/${entity}`, body);
  const answer = result.body as { id?: string } | undefined;
  if (result.status !== 201 || !answer?.id) throw new PrepareError(`POST /nucleus/v1/${entity} answered ${result.status}`);
  return answer.id;
}

/** A client with a card, two purchases on it and a daily spending limit. */
async function cardholder(kit: RequestKit): Promise<{ client: string; card: string }> {
  const n = randomBytes(4).toString('hex');
  const client = await made(kit, 'client', { username: `proton-card-${n}@example.com`, client_type: 'individual' });
  const account_type_id = await made(kit, 'account_type', { name: `Card account ${n}` });
  const account = await made(kit, 'account', { name: `Card ${n}`, account_type_id, clients: [{ client_id: client, client_account_association_type: 'owner' }] });
  const model_id = await made(kit, 'model', { name: `Card model ${n}` });
  const portfolio = await made(kit, 'portfolio', { name: `Card ${n}`, account_id: account, percentage: 100, model_id });
  const card = await made(kit, 'card', { card_holder_name: 'Conformance', card_issuance: 'virtual', card_name: 'Everyday', card_type: 'debit', portfolio_id: portfolio, client_id: client });
  const transaction_code_id = await made(kit, 'transaction_code', { transaction_code: `CARD_PURCHASE_${n}`, transaction_type: 'purchase' });
  for (const [date, amount] of [['2026-02-02T12:00:00.000Z', 20], ['2026-02-03T12:00:00.000Z', 35]] as const) {
    await made(kit, 'portfolio_transaction', { account_id: account, portfolio_id: portfolio, model_id, transaction_code_id, date, amount, currency_code: 'USD', merchant: 'Grocer', category: 'Food' });
  }
  await made(kit, 'spending_control', { client_id: client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
  return { client, card };
}

const prepared =
  (body: (holder: { client: string; card: string }) => Record<string, unknown>): Builder =>
  async (kit) => {
    try {
      return { body: body(await cardholder(kit)) };
    } catch (error) {
      if (error instanceof PrepareError) return { error: `preparing it: ${error.message}` };
      throw error;
    }
  };

export const PROTON_CARD_REQUESTS: [RegExp, Builder][] = [
  [
    /^POST \/proton\/v1\/card_authorization$/,
    prepared(({ card }) => ({ card_id: card, amount: 25, currency_code: 'USD', date: '2026-02-03T15:00:00Z', transaction_type: 'purchase', merchant: 'Grocer' })),
  ],
  [/^POST \/proton\/v1\/card_limit_check$/, prepared(({ client }) => ({ client_id: client, currency_code: 'USD', as_of_date: '2026-02-03T18:00:00Z' }))],
  [/^POST \/proton\/v1\/card_analysis$/, prepared(({ client }) => ({ client_id: client, start_date: '2026-02-01', end_date: '2026-02-28', show_history: true, show_top_cards: true }))],
  [
    /^POST \/proton\/v1\/spending_analysis$/,
    prepared(({ client }) => ({ client_ids: [client], frequency_unit: 'monthly', as_of_date: '2026-02-28', show_by_period: true, show_by_merchant: true, show_by_category: true })),
  ],
  [
    /^POST \/proton\/v1\/budget_calculator$/,
    prepared(({ client }) => ({
      budget_details: { client_id: client, frequency_unit: 'monthly', currency_code: 'USD', budget: [{ category: 'Food', value: 400 }] },
      as_of_date: '2026-02-28',
      lookback_periods: 2,
      show_average_spend: true,
    })),
  ],
];
