import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.ts';
import { holdLock } from '../support/held-lock.ts';
import { Program } from './program.ts';

// Long enough for the checks made while a transfer is pending, even on a busy machine.
const SETTLEMENT_MS = 3000;

describe('Electron ACH funding of cards', () => {
  let server: TestServer;
  let program: Program;
  // What the settlement worker reports, which no request answers.
  const logged: string[] = [];

  before(async () => {
    server = await startServer({ electronPollIntervalMs: 25, sandboxAchSettlementMs: SETTLEMENT_MS, logLevel: 'warn' }, { write: (line: string) => void logged.push(line) });
    program = new Program(server);
  });
  after(() => server.close());

  async function achFunding(card: string, client: string, amount: number): Promise<string> {
    const bankLink = await program.post('bank_link', {
      client_id: client,
      bank_account_holder: 'Card Holder',
      bank_account_number: '000123456789',
      institution_name: 'First Sandbox Bank',
      routing: '021000021',
    });
    return program.funding(card, amount, true, { bank_link_id: bankLink, funding_type: 'bank', transfer_type: 'ach' });
  }

  const balanceOf = async (card: string) => {
    const rows = await server.db.query<{ balance_minor: string }>(
      `SELECT a.balance_minor FROM sandbox_ledger_account a JOIN electron_card c ON a.code = 'card:' || c.vendor_card_id AND a.tenant_id = c.tenant_id
       WHERE c.nucleus_card_id = $1`,
      [card],
    );
    return Number(rows[0].balance_minor) / 100;
  };

  it('keeps the funding pending and the card untouched until the transfer settles, then credits it once', async () => {
    const { card, client } = await program.activeCard();
    const funding = await achFunding(card, client, 75.5);
    const started = await program.ok('POST', '/ach/card', { nucleus_funding_id: funding });
    assert.equal(started.status, 'pending');
    assert.equal(started.nucleus_funding_id, funding);
    assert.equal(started.vendor_name, 'sandbox');
    assert.ok(started.vendor_response.expected_settlement_date);
    assert.doesNotMatch(JSON.stringify(started), /000123456789/, 'the bank account number stays in Nucleus');
    assert.equal((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status, 'pending');
    assert.equal(await balanceOf(card), 0);
    assert.equal((await program.get(`/nucleus/v1/card/${card}/transaction`)).body.content.length, 0);

    const again = await program.ok('POST', '/ach/card', { nucleus_funding_id: funding });
    assert.equal(again.status, 'pending');

    await program.until(async () => ((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status === 'completed' ? true : undefined), 30_000);
    assert.equal(await balanceOf(card), 75.5);
    const [transaction] = (await program.get(`/nucleus/v1/card/${card}/transaction`)).body.content;
    assert.equal(transaction.amount, 75.5);
    assert.equal(transaction.funding_id, funding);
    assert.equal((await program.get(`/nucleus/v1/transaction_code/${transaction.transaction_code_id}`)).body.transaction_code, 'ELECTRON_CARD_ACH');

    const settled = await program.ok('POST', '/ach/card', { nucleus_funding_id: funding });
    assert.equal(settled.status, 'completed');
    assert.equal(await balanceOf(card), 75.5, 'asking again moves nothing');
    const clearing = await server.db.query<{ balance_minor: string }>(`SELECT balance_minor FROM sandbox_ledger_account WHERE code = 'ach_clearing'`);
    assert.equal(clearing[0].balance_minor, '0', 'nothing left in flight');
  });

  it('raises the funding_status and card_status webhooks for the changes it makes', async () => {
    await program.post('webhook', { url: 'http://127.0.0.1:9/hook', atom_service: ['funding_status', 'card_status'] });
    const { card, client } = await program.activeCard();
    await program.ok('POST', '/card/suspend', { nucleus_card_id: card });
    const funding = await achFunding(card, client, 1);
    await program.ok('POST', '/ach/card', { nucleus_funding_id: funding });
    await program.until(async () => ((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status === 'completed' ? true : undefined), 30_000);
    const events = await server.db.query<{ service: string; record_id: string; status: string }>(
      `SELECT service, record_id, payload::jsonb->>'status' AS status FROM webhook_event WHERE record_id IN ($1, $2) ORDER BY create_date`,
      [card, funding],
    );
    const fundingStatuses = await server.db.query<{ status: string }>(
      `SELECT payload::jsonb->>'funding_status' AS status FROM webhook_event WHERE record_id = $1 AND service = 'funding_status' ORDER BY create_date`,
      [funding],
    );
    assert.deepEqual(events.filter((e) => e.service === 'card_status').map((e) => e.status), ['issued', 'active', 'suspended']);
    assert.deepEqual(fundingStatuses.map((e) => e.status), ['requested', 'pending', 'completed']);
  });

  it('returns the money to the bank when the card is closed before settlement', async () => {
    const { card, client } = await program.activeCard();
    const funding = await achFunding(card, client, 20);
    await program.ok('POST', '/ach/card', { nucleus_funding_id: funding });
    await program.ok('POST', '/card/close', { nucleus_card_id: card });
    await program.until(async () => ((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status === 'returned' ? true : undefined), 30_000);
    assert.equal((await program.ok('POST', '/ach/card', { nucleus_funding_id: funding })).status, 'returned');
    assert.equal(await balanceOf(card), 0);
    assert.equal((await program.get(`/nucleus/v1/card/${card}/transaction`)).body.content.length, 0);
  });

  it("changes the funding's status in the transaction that records the movement, so Nucleus and Electron never disagree", async () => {
    const { card, client } = await program.activeCard();
    const funding = await achFunding(card, client, 20);
    await program.ok('POST', '/ach/card', { nucleus_funding_id: funding });
    await program.ok('POST', '/card/close', { nucleus_card_id: card });
    // The movement's row held locked: the worker, once it learns of the return, waits to record it.
    const release = await holdLock(server.db, 'SELECT 1 FROM electron_money_movement WHERE nucleus_funding_id = $1 FOR UPDATE', [funding]);
    try {
      await program.until(async () => ((await server.db.query(`SELECT 1 FROM pg_locks WHERE NOT granted`)).length > 0 ? true : undefined), 30_000);
      assert.equal((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status, 'pending', 'not returned before the movement is');
      assert.equal((await program.ok('POST', '/ach/card', { nucleus_funding_id: funding })).status, 'pending');
    } finally {
      await release();
    }
    await program.until(async () => ((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status === 'returned' ? true : undefined), 30_000);
    assert.equal((await program.ok('POST', '/ach/card', { nucleus_funding_id: funding })).status, 'returned');
  });

  it('finishes a movement whose request died half-way, once its lease has run out', async () => {
    const { card } = await program.activeCard();
    const funding = await program.funding(card, 9, true);
    const started = await program.ok('POST', '/card/load', { nucleus_funding_id: funding });
    // As if the process had died after the money moved but before Nucleus heard of it.
    const [row] = await server.db.query<{ id: string; nucleus_transaction_id: string }>(
      'SELECT id, nucleus_transaction_id FROM electron_money_movement WHERE nucleus_funding_id = $1',
      [funding],
    );
    await server.request('DELETE', `/nucleus/v1/portfolio_transaction/${row.nucleus_transaction_id}`);
    await server.request('PUT', `/nucleus/v1/funding/${funding}`, { body: { funding_status: 'requested' } });
    await server.db.query(`UPDATE electron_money_movement SET state = 'posted', nucleus_transaction_id = NULL WHERE id = $1`, [row.id]);
    await server.db.query(
      `INSERT INTO job (tenant_id, id, kind, payload, state, lease_token, attempts, run_at)
       SELECT tenant_id, id, 'electron-movement', '{}', 'running', 'a-worker-that-died', 1, now() + interval '1 hour' FROM electron_money_movement WHERE id = $1`,
      [row.id],
    );
    const held = await program.electron('POST', '/card/load', { nucleus_funding_id: funding });
    assert.equal(held.status, 409, 'a live lease keeps other drivers off');
    assert.equal(held.body.code, 'funding_in_progress');

    // The lease of the job that drives the movement runs out.
    await server.db.query(`UPDATE job SET run_at = now() - interval '1 second' WHERE id = $1`, [row.id]);
    await program.until(async () => ((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status === 'completed' ? true : undefined));
    const transactions = (await program.get(`/nucleus/v1/card/${card}/transaction`)).body.content;
    assert.equal(transactions.length, 1);
    assert.equal(await balanceOf(card), 9, 'the money moved once');
    const replay = await program.ok('POST', '/card/load', { nucleus_funding_id: funding });
    assert.equal(replay.vendor_response.transaction_id, started.vendor_response.transaction_id);
  });

  it('reports a pending transfer the processor does not know as refused, and leaves the funding pending', async () => {
    const { card, client } = await program.activeCard();
    const funding = await achFunding(card, client, 4);
    await program.ok('POST', '/ach/card', { nucleus_funding_id: funding });
    // The movement's id is its reference at the processor; under a new one, the processor has never heard of it.
    const row = { id: randomUUID() };
    await server.db.transaction(async (tx) => {
      const [{ id }] = await tx.query<{ id: string }>('SELECT id FROM electron_money_movement WHERE nucleus_funding_id = $1', [funding]);
      await tx.query('UPDATE electron_money_movement SET id = $2 WHERE id = $1', [id, row.id]);
      await tx.query('UPDATE job SET id = $2, run_at = now() WHERE id = $1', [id, row.id]);
    });
    const refusal = await program.until(async () =>
      logged.map((line) => JSON.parse(line)).find((entry) => entry.movement === row.id && entry.err?.code === 'unknown_transfer'),
    );
    assert.equal(refusal.err.type, 'ProcessorRefusal');
    assert.equal((await program.get(`/nucleus/v1/funding/${funding}`)).body.funding_status, 'pending');
    assert.equal(await balanceOf(card), 0);
  });

  it('refuses a funding without a bank link, a withdrawal, and ids it cannot see', async () => {
    const { card, client } = await program.activeCard();
    const noBank = await program.electron('POST', '/ach/card', { nucleus_funding_id: await program.funding(card, 5, true) });
    assert.equal(noBank.status, 400);
    assert.match(noBank.body.message, /bank_link_id/);
    const withdrawal = await achFunding(card, client, 5);
    await server.request('PUT', `/nucleus/v1/funding/${withdrawal}`, { body: { is_deposit: false } });
    const refused = await program.electron('POST', '/ach/card', { nucleus_funding_id: withdrawal });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.field, 'nucleus_funding_id');
    const other = await server.otherTenant();
    const foreign = await program.electron('POST', '/ach/card', { nucleus_funding_id: withdrawal }, { token: other.token });
    assert.equal(foreign.status, 404);
    const anonymous = await program.electron('POST', '/ach/card', { nucleus_funding_id: withdrawal }, { token: null });
    assert.equal(anonymous.status, 401);
  });
});
