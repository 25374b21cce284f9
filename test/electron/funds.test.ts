import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.ts';
import { Program } from './program.ts';

describe('Electron loads, unloads and the program reserve', () => {
  let server: TestServer;
  let program: Program;

  before(async () => {
    server = await startServer();
    program = new Program(server);
  });
  after(() => server.close());

  it('reads the reserve from the ledger: funded at opening, drawn by loads, refilled by unloads', async () => {
    const opening = await program.ok('GET', '/card/reserve');
    assert.equal(opening.vendor_name, 'sandbox');
    assert.equal(typeof opening.wallet_id, 'string');
    assert.equal(opening.overdraft_limit, 50000);
    assert.equal(opening.balance_available, opening.balance + opening.overdraft_limit);

    const { card } = await program.activeCard();
    await program.load(card, 250.75);
    const afterLoad = await program.ok('GET', '/card/reserve');
    assert.equal(afterLoad.balance, opening.balance - 250.75);
    await program.ok('POST', '/card/unload', { nucleus_funding_id: await program.funding(card, 50.25, false) });
    const afterUnload = await program.ok('GET', '/card/reserve');
    assert.equal(afterUnload.balance, opening.balance - 200.5);
    assert.equal(afterUnload.wallet_id, opening.wallet_id);
  });

  it('loads a card once per funding, completes the funding and records a card transaction', async () => {
    const { card, portfolio, account } = await program.activeCard();
    const funding = await program.funding(card, 100, true);
    const loaded = await program.ok('POST', '/card/load', { nucleus_funding_id: funding, reason: 'payday' });
    assert.deepEqual(
      { amount: loaded.amount, card_status: loaded.card_status, nucleus_card_id: loaded.nucleus_card_id, nucleus_funding_id: loaded.nucleus_funding_id, vendor_name: loaded.vendor_name },
      { amount: 100, card_status: 'active', nucleus_card_id: card, nucleus_funding_id: funding, vendor_name: 'sandbox' },
    );
    assert.equal(loaded.vendor_response.balance, 100);

    const again = await program.ok('POST', '/card/load', { nucleus_funding_id: funding });
    assert.equal(again.vendor_response.transaction_id, loaded.vendor_response.transaction_id, 'the same movement answers again');
    assert.equal(again.vendor_response.balance, 100, 'and no money moved twice');
    const parallel = await Promise.all(Array.from({ length: 5 }, () => program.electron('POST', '/card/load', { nucleus_funding_id: funding })));
    for (const result of parallel) assert.equal(result.status, 200);

    assert.equal((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status, 'completed');
    const transactions = (await program.get(`/nucleus/v1/card/${card}/transaction`)).body;
    assert.equal(transactions.content.length, 1);
    const [transaction] = transactions.content;
    assert.equal(transaction.amount, 100);
    assert.equal(transaction.balance, 100);
    assert.equal(transaction.portfolio_id, portfolio);
    assert.equal(transaction.account_id, account);
    assert.equal(transaction.funding_id, funding);
    assert.equal(transaction.memo, 'payday');
    const sizes = (await program.get(`/nucleus/v1/card/${card}/asset_size`)).body;
    assert.deepEqual(
      sizes.map((point: { value: number; cash_flow: number }) => [point.value, point.cash_flow]),
      [[100, 100]],
      'the card\'s balance after the load is its asset size, once however often the load was asked',
    );
    const code = (await program.get(`/nucleus/v1/transaction_code/${transaction.transaction_code_id}`)).body;
    assert.equal(code.transaction_code, 'ELECTRON_CARD_LOAD');
    assert.equal(code.is_deposit, true);

    const unloadWithLoadFunding = await program.electron('POST', '/card/unload', { nucleus_funding_id: funding });
    assert.equal(unloadWithLoadFunding.status, 400, 'a deposit funding cannot unload');
  });

  it('never takes a card below zero, and lets a refused funding be tried again', async () => {
    const { card } = await program.activeCard();
    await program.load(card, 30);
    const funding = await program.funding(card, 30.01, false);
    const refused = await program.electron('POST', '/card/unload', { nucleus_funding_id: funding });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'insufficient_funds');
    assert.match(refused.body.message, /holds 30 USD/);
    assert.notEqual((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status, 'completed');

    await program.load(card, 0.01);
    const retried = await program.ok('POST', '/card/unload', { nucleus_funding_id: funding });
    assert.equal(retried.vendor_response.balance, 0);
    // One point for the day: the balance it closed with, and its flows (30 + 0.01 in, 30.01 out) netted.
    const day = (await program.get(`/nucleus/v1/card/${card}/asset_size`)).body;
    assert.deepEqual(
      day.map((point: { value: number; cash_flow: number }) => [point.value, point.cash_flow]),
      [[0, 0]],
    );
  });

  it('records transactions of a card whose portfolio has no model under a model it makes once', async () => {
    const first = await program.activeCard({ withModel: false });
    const second = await program.activeCard({ withModel: false });
    await program.load(first.card, 5);
    await program.load(second.card, 6);
    const [a] = (await program.get(`/nucleus/v1/card/${first.card}/transaction`)).body.content;
    const [b] = (await program.get(`/nucleus/v1/card/${second.card}/transaction`)).body.content;
    assert.equal(a.model_id, b.model_id);
    assert.equal((await program.get(`/nucleus/v1/model/${a.model_id}`)).body.name, 'Card balance');
  });

  it('loads suspended cards but not closed ones, and refuses fundings that do not fit', async () => {
    const { card } = await program.activeCard();
    await program.ok('POST', '/card/suspend', { nucleus_card_id: card });
    await program.load(card, 1);
    await program.ok('POST', '/card/unload', { nucleus_funding_id: await program.funding(card, 1, false) });
    await program.ok('POST', '/card/close', { nucleus_card_id: card });
    const closed = await program.electron('POST', '/card/load', { nucleus_funding_id: await program.funding(card, 1, true) });
    assert.equal(closed.status, 409);
    assert.match(closed.body.message, /is closed/);

    const other = await program.activeCard();
    const cases: [object, RegExp][] = [
      [{ amount: 1.005 }, /more than 2 decimals/],
      [{ amount: -3 }, /greater than zero/],
      [{ amount: 1e17 }, /at most 1,000,000,000/],
      [{ currency_code: 'EUR' }, /runs in USD/],
      [{ is_deposit: false }, /is_deposit false/],
    ];
    for (const [change, message] of cases) {
      const funding = await program.funding(other.card, 10, true, change);
      const result = await program.electron('POST', '/card/load', { nucleus_funding_id: funding });
      assert.equal(result.status, 400, JSON.stringify(change));
      assert.equal(result.body.field, 'nucleus_funding_id');
      assert.match(result.body.message, message);
    }
    // The reserve opens with 1,000,000.00 and may overdraw 50,000.00: more cannot be loaded.
    const beyondReserve = await program.electron('POST', '/card/load', { nucleus_funding_id: await program.funding(other.card, 1_050_000.01, true) });
    assert.deepEqual([beyondReserve.status, beyondReserve.body.code], [409, 'reserve_insufficient']);
    // A funding moves money once: loaded, then turned into a withdrawal, it cannot be unloaded too.
    const loaded = await program.funding(other.card, 5, true);
    await program.ok('POST', '/card/load', { nucleus_funding_id: loaded });
    assert.equal((await program.server.request('PUT', `/nucleus/v1/funding/${loaded}`, { body: { is_deposit: false } })).status, 200);
    const reused = await program.electron('POST', '/card/unload', { nucleus_funding_id: loaded });
    assert.deepEqual([reused.status, reused.body.code], [409, 'funding_already_used']);
    const noCard = await program.post('funding', {
      amount: 10, is_deposit: true, funding_type: 'card', funding_status: 'requested', frequency_unit: 'one_time', start_date: '2025-01-01',
    });
    const result = await program.electron('POST', '/card/load', { nucleus_funding_id: noCard });
    assert.equal(result.status, 400);
    assert.match(result.body.message, /names no card_id/);

    const unissued = await program.cardOwner();
    const notIssued = await program.electron('POST', '/card/load', { nucleus_funding_id: await program.funding(unissued.card, 1, true) });
    assert.equal(notIssued.status, 409);
    assert.equal(notIssued.body.code, 'card_not_issued');
  });

  it('answers 404 for a funding it does not know or another tenant holds, 400 without one', async () => {
    const unknown = await program.electron('POST', '/card/load', { nucleus_funding_id: randomUUID() });
    assert.equal(unknown.status, 404);
    const missing = await program.electron('POST', '/card/unload', { reason: 'x' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'nucleus_funding_id');
    const { card } = await program.activeCard();
    const funding = await program.funding(card, 1, true);
    const other = await server.otherTenant();
    const foreign = await program.electron('POST', '/card/load', { nucleus_funding_id: funding }, { token: other.token });
    assert.equal(foreign.status, 404);
    const foreignReserve = await program.electron('GET', '/card/reserve', undefined, { token: other.token });
    assert.equal(foreignReserve.status, 200, 'each tenant has its own program');
    assert.equal(foreignReserve.body.balance, 1_000_000);
  });
});
