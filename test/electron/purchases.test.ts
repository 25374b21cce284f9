import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.ts';
import { Program } from './program.ts';

describe('Electron spending controls and sandbox purchases', () => {
  let server: TestServer;
  let program: Program;

  before(async () => {
    server = await startServer();
    program = new Program(server);
  });
  after(() => server.close());

  const purchase = (card: string, amount: number, extra: object = {}) => program.ok('POST', '/sandbox/card/purchase', { nucleus_card_id: card, amount, ...extra });

  async function control(body: object): Promise<string> {
    return program.post('spending_control', { currency_code: 'USD', ...body });
  }

  it('approves a purchase on an active card, posts it and records a card transaction', async () => {
    const { card } = await program.activeCard();
    await program.load(card, 50);
    const approved = await purchase(card, 12.34, { merchant: 'Corner Grocer', merchant_category_code: '5411' });
    assert.equal(approved.status, 'approved');
    assert.equal(approved.balance, 37.66);
    const transaction = (await program.get(`/nucleus/v1/portfolio_transaction/${approved.nucleus_portfolio_transaction_id}`)).body;
    assert.equal(transaction.amount, 12.34);
    assert.equal(transaction.merchant, 'Corner Grocer');
    assert.equal(transaction.merchant_category_code, '5411');
    assert.equal((await program.get(`/nucleus/v1/transaction_code/${transaction.transaction_code_id}`)).body.transaction_code, 'ELECTRON_CARD_PURCHASE');
    const atm = await purchase(card, 20, { transaction_type: 'atm_withdrawal' });
    const atmRecord = (await program.get(`/nucleus/v1/portfolio_transaction/${atm.nucleus_portfolio_transaction_id}`)).body;
    assert.equal((await program.get(`/nucleus/v1/transaction_code/${atmRecord.transaction_code_id}`)).body.transaction_code, 'ELECTRON_CARD_ATM');
  });

  it('declines without moving money: too little on the card, a card that is not active', async () => {
    const { card } = await program.activeCard();
    await program.load(card, 10);
    const poor = await purchase(card, 10.01);
    assert.equal(poor.status, 'declined');
    assert.equal(poor.vendor_response.decline_code, 'insufficient_funds');
    assert.equal(poor.nucleus_portfolio_transaction_id, undefined);
    await program.ok('POST', '/card/suspend', { nucleus_card_id: card });
    const suspended = await purchase(card, 1);
    assert.equal(suspended.status, 'declined');
    assert.match(suspended.decline_reason, /suspended/);
    assert.equal((await program.get(`/nucleus/v1/card/${card}/transaction`)).body.content.length, 1, 'only the load');
  });

  it('enforces spending controls sent to the processor, and their later changes', async () => {
    const { card, client } = await program.activeCard();
    await program.load(card, 500);
    const limit = await control({ client_id: client, control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    const sent = await program.ok('POST', '/card/spending_control', { nucleus_spending_control_id: limit });
    assert.equal(sent.nucleus_spending_control_id, limit);
    assert.deepEqual(sent.vendor_request_data, {
      client_id: client, control_scope: 'all', control_type: 'spending_limit', currency_code: 'USD', frequency_unit: 'daily', is_active: true, limit_value: 100,
    });
    assert.equal((await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: limit })).status, 409);

    assert.equal((await purchase(card, 60)).status, 'approved');
    const over = await purchase(card, 40.01);
    assert.equal(over.status, 'declined');
    assert.match(over.decline_reason, new RegExp(limit));
    assert.equal((await purchase(card, 40)).status, 'approved');

    await server.request('PUT', `/nucleus/v1/spending_control/${limit}`, { body: { limit_value: 150 } });
    const updated = await program.ok('PUT', `/card/spending_control/${limit}`);
    assert.equal(updated.vendor_request_data.limit_value, 150);
    assert.equal((await purchase(card, 50)).status, 'approved');

    const deny = await control({ client_id: client, control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] });
    await program.ok('POST', '/card/spending_control', { nucleus_spending_control_id: deny });
    await server.request('PUT', `/nucleus/v1/spending_control/${limit}`, { body: { is_active: false } });
    await program.ok('PUT', `/card/spending_control/${limit}`);
    assert.equal((await purchase(card, 5, { merchant_category_code: '7995' })).status, 'declined');
    assert.equal((await purchase(card, 5, { merchant_category_code: '5411' })).status, 'approved');

    const others = await program.activeCard();
    await program.load(others.card, 10);
    assert.equal((await purchase(others.card, 5, { merchant_category_code: '7995' })).status, 'approved', "another client's control does not apply");
  });

  it('refuses spending controls the sandbox could not enforce, and updates of ones it never got', async () => {
    const unknownType = await control({ control_type: 'vibes', control_scope: 'all' });
    const refused = await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: unknownType });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /control_type "vibes"/);
    const noPeriod = await control({ control_type: 'transaction_limit', control_scope: 'all', limit_value: 3 });
    assert.equal((await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: noPeriod })).status, 400);
    const never = await control({ control_type: 'deny_list', control_scope: 'merchant', control_values: ['Casino'] });
    assert.equal((await program.electron('PUT', `/card/spending_control/${never}`)).status, 404);
    assert.equal((await program.electron('PUT', `/card/spending_control/${randomUUID()}`)).status, 404);
    const missing = await program.electron('POST', '/card/spending_control', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'nucleus_spending_control_id');
    const other = await server.otherTenant();
    assert.equal((await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: never }, { token: other.token })).status, 404);
    assert.equal((await program.electron('PUT', `/card/spending_control/${never}`, undefined, { token: null })).status, 401);
  });

  it('checks the purchase request: amount, currency, card', async () => {
    const { card } = await program.activeCard();
    const cases: [object, string][] = [
      [{ nucleus_card_id: card }, 'amount'],
      [{ nucleus_card_id: card, amount: 0 }, 'amount'],
      [{ nucleus_card_id: card, amount: 1.234 }, 'amount'],
      [{ nucleus_card_id: card, amount: 1, currency_code: 'EUR' }, 'currency_code'],
      [{ nucleus_card_id: card, amount: 1, transaction_type: 'refund' }, 'transaction_type'],
      [{ amount: 1 }, 'nucleus_card_id'],
    ];
    for (const [body, field] of cases) {
      const result = await program.electron('POST', '/sandbox/card/purchase', body);
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(result.body.field, field, JSON.stringify(body));
    }
    assert.equal((await program.electron('POST', '/sandbox/card/purchase', { nucleus_card_id: randomUUID(), amount: 1 })).status, 404);
    const unissued = await program.cardOwner();
    assert.equal((await program.electron('POST', '/sandbox/card/purchase', { nucleus_card_id: unissued.card, amount: 1 })).status, 409);
  });
});
