import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.ts';
import { authorize, type PurchaseFacts } from '../../src/electron/sandbox/authorization.ts';
import { historyStart, sharedControl } from '../../src/electron/sandbox/spending-controls.ts';
import type { SpendingControlData } from '../../src/electron/processor.ts';
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

  it('refuses an amount above the documented maximum as a 400 naming it', async () => {
    const { card } = await program.activeCard();
    for (const amount of [1_000_000_000.01, 1e17, 1e308]) {
      const refused = await program.electron('POST', '/sandbox/card/purchase', { nucleus_card_id: card, amount });
      assert.equal(refused.status, 400, `${amount}: ${JSON.stringify(refused.body)}`);
      assert.equal(refused.body.field, 'amount');
    }
    const largest = await purchase(card, 1_000_000_000);
    assert.equal(largest.vendor_response.decline_code, 'insufficient_funds');
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
    const again = await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: limit });
    assert.deepEqual([again.status, again.body.code], [409, 'already_enforced']);

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
    // Controls that name no client govern every card of the tenant, in Proton's decisions too.
    const { client } = await program.cardOwner();
    const unknownType = await control({ client_id: client, control_type: 'vibes', control_scope: 'all' });
    const refused = await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: unknownType });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /control_type "vibes"/);
    const noPeriod = await control({ client_id: client, control_type: 'transaction_limit', control_scope: 'all', limit_value: 3 });
    assert.equal((await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: noPeriod })).status, 400);
    const never = await control({ client_id: client, control_type: 'deny_list', control_scope: 'merchant', control_values: ['Casino'] });
    assert.equal((await program.electron('PUT', `/card/spending_control/${never}`)).status, 404);
    const lost = await control({ client_id: client, control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] });
    const sent = await program.ok('POST', '/card/spending_control', { nucleus_spending_control_id: lost });
    // The sandbox keeps a processor's books in this database; removing the row is the processor losing the control.
    await server.db.query('DELETE FROM sandbox_spending_control WHERE id = $1', [sent.vendor_response.spending_control_id]);
    const forgotten = await program.electron('PUT', `/card/spending_control/${lost}`);
    assert.deepEqual([forgotten.status, forgotten.body.code], [409, 'unknown_spending_control']);
    assert.equal((await program.electron('PUT', `/card/spending_control/${randomUUID()}`)).status, 404);
    const missing = await program.electron('POST', '/card/spending_control', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'nucleus_spending_control_id');
    const other = await server.otherTenant();
    assert.equal((await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: never }, { token: other.token })).status, 404);
    assert.equal((await program.electron('PUT', `/card/spending_control/${never}`, undefined, { token: null })).status, 401);
  });

  it('reads a one_time limit as a cap on each purchase on its own, never as a running total', async () => {
    const { card, client } = await program.activeCard();
    await program.load(card, 500);
    const cap = await control({ client_id: client, control_type: 'spending_limit', control_scope: 'all', limit_value: 30, frequency_unit: 'one_time' });
    const once = await control({ client_id: client, control_type: 'transaction_limit', control_scope: 'all', limit_value: 1, frequency_unit: 'one_time' });
    const never = await control({ client_id: client, control_type: 'transaction_limit', control_scope: 'mcc', control_values: ['6011'], limit_value: 0, frequency_unit: 'one_time' });
    for (const id of [cap, once, never]) await program.ok('POST', '/card/spending_control', { nucleus_spending_control_id: id });
    for (const amount of [25, 25, 30]) assert.equal((await purchase(card, amount)).status, 'approved', `${amount} after earlier purchases`);
    const over = await purchase(card, 30.01);
    assert.equal(over.status, 'declined');
    assert.deepEqual([over.vendor_response.spending_control_rule, over.vendor_response.spending_control_id], ['spending_limit', cap]);
    const forbidden = await purchase(card, 1, { merchant_category_code: '6011' });
    assert.deepEqual([forbidden.vendor_response.spending_control_rule, forbidden.vendor_response.spending_control_id], ['transaction_limit', never]);
  });

  it('takes the decision Proton card_authorization takes on the same controls', async () => {
    const { card, client } = await program.activeCard();
    await program.load(card, 1000);
    const shop = randomUUID();
    const names: Record<string, string> = {};
    const controls: [string, object][] = [
      ['daily', { control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' }],
      ['casino', { control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] }],
      ['shops', { control_type: 'allow_list', control_scope: 'merchant', control_values: ['Corner Grocer', 'book nook', shop] }],
      // Half a cent over 40.00: the rules round it to 40.01.
      ['cap', { control_type: 'spending_limit', control_scope: 'purchase', limit_value: 40.005, frequency_unit: 'one_time' }],
      ['atm', { control_type: 'transaction_limit', control_scope: 'atm_withdrawal', limit_value: 1, frequency_unit: 'daily' }],
      ['fortnight', { control_type: 'spending_limit', control_scope: 'mid', control_values: ['ACQ-1'], limit_value: 8, frequency_unit: 'weekly', frequency: 2 }],
    ];
    for (const [name, body] of controls) {
      const id = await control({ client_id: client, ...body });
      names[id] = name;
      await program.ok('POST', '/card/spending_control', { nucleus_spending_control_id: id });
    }
    type Probe = { amount: number; transaction_type?: string; merchant?: string; merchant_id?: string; merchant_category_code?: string; mid?: string };
    const grocer = { merchant: 'Corner Grocer', merchant_category_code: '5411' };
    // Run in order: each approval is spent, and the later probes count it.
    const probes: [Probe, string, string | null][] = [
      [{ amount: 25, ...grocer }, 'approved', null],
      [{ amount: 25, ...grocer }, 'approved', null],
      [{ amount: 40.02, merchant: 'Book Nook' }, 'spending_limit', 'cap'],
      [{ amount: 40.01, merchant: 'BOOK NOOK' }, 'approved', null],
      [{ amount: 5, merchant: 'Casino Royale', merchant_category_code: '7995' }, 'deny_list', 'casino'],
      // Over the daily limit too, but lists come first.
      [{ amount: 15, merchant: 'Corner Grocer', merchant_category_code: '7995' }, 'deny_list', 'casino'],
      [{ amount: 5, merchant: 'Elsewhere' }, 'allow_list', 'shops'],
      [{ amount: 10, ...grocer }, 'spending_limit', 'daily'],
      [{ amount: 4.99, transaction_type: 'atm_withdrawal', merchant_id: shop, mid: 'ACQ-1' }, 'approved', null],
      // Over the daily limit too, but counts come before amounts.
      [{ amount: 5.01, transaction_type: 'atm_withdrawal', merchant_id: shop }, 'transaction_limit', 'atm'],
      [{ amount: 3.02, merchant: 'Corner Grocer', mid: 'ACQ-1' }, 'spending_limit', 'fortnight'],
      [{ amount: 3.01, merchant: 'Corner Grocer', mid: 'ACQ-1' }, 'approved', null],
      [{ amount: 1.99, ...grocer }, 'approved', null],
      [{ amount: 0.01, ...grocer }, 'spending_limit', 'daily'],
    ];
    const outcomes = [];
    for (const [probe, expected, by] of probes) {
      const asked = await server.request('POST', '/proton/v1/card_authorization', {
        // Proton's own holds are left out, so that both count only the purchases the sandbox made.
        body: { card_id: card, currency_code: 'USD', date: new Date().toISOString(), transaction_type: 'purchase', transaction_status_scope: ['completed'], ...probe },
      });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      const proton = asked.body.status === 'approved' ? ['approved', null] : [asked.body.reason, names[asked.body.spending_control_id]];
      const made = await purchase(card, probe.amount, probe);
      const electron = made.status === 'approved' ? ['approved', null] : [made.vendor_response.spending_control_rule, names[made.vendor_response.spending_control_id]];
      outcomes.push({ probe, proton, electron });
      assert.deepEqual(electron, [expected, by], `the sandbox on ${JSON.stringify(probe)}`);
    }
    assert.deepEqual(
      outcomes.map((o) => o.electron),
      outcomes.map((o) => o.proton),
      JSON.stringify(outcomes),
    );
  });

  it('accepts every control the shared rules enforce, and refuses the location scopes sandbox purchases cannot meet', async () => {
    const { client } = await program.cardOwner();
    const accepted = [
      { control_type: 'transaction_limit', control_scope: 'purchase', limit_value: 3, frequency_unit: 'monthly', frequency: 2 },
      { control_type: 'deny_list', control_scope: 'merchant_category_code', control_values: ['7995'] },
      { control_type: 'allow_list', control_scope: 'merchant_category', control_values: ['Groceries'] },
      { control_type: 'deny_list', control_scope: 'mid', control_values: ['ACQ-9'], is_active: false },
    ];
    for (const body of accepted) {
      const sent = await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: await control({ client_id: client, ...body }) });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.deepEqual(sent.body.vendor_request_data, { client_id: client, currency_code: 'USD', is_active: true, ...body }, 'sent whole, frequency included');
    }
    const refused: [object, RegExp][] = [
      [{ control_type: 'allow_list', control_scope: 'country', control_values: ['US'] }, /country/],
      [{ control_type: 'spending_limit', control_scope: 'all', limit_value: 10, frequency_unit: 'bi-weekly' }, /frequency_unit/],
      [{ control_type: 'spending_limit', control_scope: 'all', limit_value: -1, frequency_unit: 'daily' }, /limit_value/],
      [{ control_type: 'spending_limit', control_scope: 'all', limit_value: 10, frequency_unit: 'daily', currency_code: 'EUR' }, /currency_code must be the card program's USD, not EUR/],
    ];
    for (const [body, message] of refused) {
      const sent = await program.electron('POST', '/card/spending_control', { nucleus_spending_control_id: await control({ client_id: client, ...body }) });
      assert.deepEqual([sent.status, sent.body.code], [400, 'unsupported_spending_control'], JSON.stringify(body));
      assert.match(sent.body.message, message);
    }
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

describe('the sandbox authorization decision', () => {
  const data = (extra: Partial<SpendingControlData>): SpendingControlData => ({
    control_type: 'spending_limit', control_scope: 'all', currency_code: 'USD', is_active: true, ...extra,
  });
  const spend = (amountMinor: bigint, extra: Partial<PurchaseFacts> = {}): PurchaseFacts => ({ amountMinor, type: 'purchase', ...extra });
  // 2026-03-04 is a Wednesday.
  const day = '2026-03-04';

  it('counts a limit over frequency × frequency_unit, as the shared rules cut the windows', () => {
    const fortnight = sharedControl('f', data({ limit_value: 100, frequency_unit: 'weekly', frequency: 2 }));
    assert.equal(historyStart([fortnight], day), '2026-02-23');
    const history = [{ ...spend(6000n), day: '2026-02-24' }, { ...spend(9999n), day: '2026-02-22' }];
    const input = { cardState: 'active' as const, availableMinor: 1_000_000n, day, controls: [fortnight], history };
    assert.deepEqual(authorize({ ...input, purchase: spend(4000n) }), { approved: true });
    const over = authorize({ ...input, purchase: spend(4001n) });
    assert.deepEqual(!over.approved && over.control, { id: 'f', rule: 'spending_limit' });
  });

  it('converts minor units to cents exactly, and lists and one_time limits look at no history', () => {
    const cap = sharedControl('cap', data({ limit_value: 10.01, frequency_unit: 'one_time' }));
    const deny = sharedControl('deny', data({ control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] }));
    assert.equal(historyStart([cap, deny], day), null);
    const input = { cardState: 'active' as const, availableMinor: 1_000_000n, day, controls: [cap, deny], history: [] };
    assert.deepEqual(authorize({ ...input, purchase: spend(1001n) }), { approved: true });
    assert.equal(authorize({ ...input, purchase: spend(1002n) }).approved, false);
    const denied = authorize({ ...input, purchase: spend(1n, { merchantCategoryCode: '7995' }) });
    assert.deepEqual(!denied.approved && denied.control, { id: 'deny', rule: 'deny_list' });
  });

  it('leaves the card state and the balance to the sandbox, before any control', () => {
    const deny = sharedControl('deny', data({ control_type: 'deny_list', control_scope: 'all' }));
    const input = { availableMinor: 500n, day, controls: [deny], history: [], purchase: spend(501n) };
    assert.equal((authorize({ ...input, cardState: 'suspended' }) as { code: string }).code, 'card_not_active');
    assert.equal((authorize({ ...input, cardState: 'active' }) as { code: string }).code, 'insufficient_funds');
    assert.equal((authorize({ ...input, cardState: 'active', purchase: spend(500n) }) as { code: string }).code, 'spending_control');
  });
});
