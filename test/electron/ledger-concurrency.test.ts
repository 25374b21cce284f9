import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { listTenants } from '../../src/platform/auth/credentials.ts';
import { buildStores } from '../../src/platform/entity/registry.ts';
import { nucleusEntities } from '../../src/nucleus/entities.ts';
import { Program } from './program.ts';

const OPERATIONS = Number(process.env.ELECTRON_STRESS_OPERATIONS ?? 3000);
const CONCURRENCY = 20;
const CARDS = 5;
const SEED = Number(process.env.ELECTRON_STRESS_SEED ?? Date.now() % 1_000_000);

/** A small seeded generator, so a failing run can be repeated with ELECTRON_STRESS_SEED. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Operation = { kind: 'load' | 'unload'; card: string; cents: number; funding: string } | { kind: 'purchase'; card: string; cents: number };

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

describe('Electron ledger under concurrent loads, unloads and purchases', () => {
  let server: TestServer;
  let program: Program;

  before(async () => {
    server = await startServer({ electronPollIntervalMs: 50 });
    program = new Program(server);
  });
  after(() => server.close());

  it(`keeps the books balanced through ${OPERATIONS} random operations on ${CARDS} cards (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const next = random(SEED);
    const cards = await Promise.all(Array.from({ length: CARDS }, () => program.activeCard()));
    const openingReserve = Math.round((await program.ok('GET', '/card/reserve')).balance * 100);

    const fundings: { card: string; cents: number; deposit: boolean }[] = [];
    const plan: { kind: 'load' | 'unload' | 'purchase'; card: string; cents: number; funding?: number }[] = [];
    for (let i = 0; i < OPERATIONS; i++) {
      const card = cards[Math.floor(next() * CARDS)].card;
      const roll = next();
      const cents = 1 + Math.floor(next() * 5000);
      if (roll < 0.4) {
        plan.push({ kind: 'load', card, cents, funding: fundings.push({ card, cents, deposit: true }) - 1 });
      } else if (roll < 0.65) {
        plan.push({ kind: 'unload', card, cents, funding: fundings.push({ card, cents, deposit: false }) - 1 });
      } else if (roll < 0.7 && plan.some((p) => p.funding !== undefined)) {
        // The same funding sent again, perhaps while its first request is still running.
        const earlier = plan.filter((p) => p.funding !== undefined)[Math.floor(next() * plan.length) % plan.filter((p) => p.funding !== undefined).length];
        plan.push({ ...earlier });
      } else {
        plan.push({ kind: 'purchase', card, cents });
      }
    }
    // The fundings are only the input; they go straight into the store so the run's time is spent on Electron.
    const [tenant] = await listTenants(server.db);
    const store = buildStores(nucleusEntities).find((s) => s.declaration.name === 'funding')!;
    const fundingIds = await server.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const f of fundings) ids.push((await store.create(tx, tenant.id, program.fundingBody(f.card, f.cents / 100, f.deposit))).id);
      return ids;
    });
    const operations: Operation[] = plan.map((p) =>
      p.kind === 'purchase' ? { kind: 'purchase', card: p.card, cents: p.cents } : { kind: p.kind, card: p.card, cents: p.cents, funding: fundingIds[p.funding!] },
    );

    const started = Date.now();
    const tally = { moved: new Map<string, number>(), outcomes: new Map<string, number>(), fundingsDone: new Set<string>() };
    const count = (outcome: string) => tally.outcomes.set(outcome, (tally.outcomes.get(outcome) ?? 0) + 1);
    const move = (card: string, cents: number) => tally.moved.set(card, (tally.moved.get(card) ?? 0) + cents);
    await pool(operations, CONCURRENCY, async (op) => {
      if (op.kind === 'purchase') {
        const result = await program.electron('POST', '/sandbox/card/purchase', { nucleus_card_id: op.card, amount: op.cents / 100 });
        assert.equal(result.status, 200, JSON.stringify(result.body));
        count(`purchase ${result.body.status}`);
        if (result.body.status === 'approved') move(op.card, -op.cents);
        return;
      }
      const result = await program.electron('POST', `/card/${op.kind}`, { nucleus_funding_id: op.funding });
      if (result.status === 200) {
        count(`${op.kind} ok`);
        // A repeat answers 200 too; only the first success of a funding moved money.
        if (!tally.fundingsDone.has(op.funding)) {
          tally.fundingsDone.add(op.funding);
          move(op.card, op.kind === 'load' ? op.cents : -op.cents);
        }
        return;
      }
      assert.equal(result.status, 409, JSON.stringify(result.body));
      assert.ok(['insufficient_funds', 'funding_in_progress'].includes(result.body.code), JSON.stringify(result.body));
      count(`${op.kind} ${result.body.code}`);
    });
    const elapsed = Date.now() - started;
    console.log(`# ${OPERATIONS} operations in ${elapsed} ms:`, Object.fromEntries(tally.outcomes));
    assert.ok((tally.outcomes.get('purchase approved') ?? 0) > 0 && (tally.outcomes.get('unload ok') ?? 0) > 0, 'the mix exercised every path');

    const db = server.db;
    const none = async (sql: string, what: string) => assert.deepEqual(await db.query(sql), [], what);
    await none(
      `SELECT tenant_id, movement_id, sum(amount_minor) FROM sandbox_ledger_posting GROUP BY tenant_id, movement_id HAVING sum(amount_minor) <> 0`,
      'every movement balances',
    );
    const [total] = await db.query<{ sum: string; movements: string }>('SELECT sum(amount_minor) AS sum, count(DISTINCT movement_id) AS movements FROM sandbox_ledger_posting');
    assert.equal(total.sum, '0', 'all postings sum to zero');
    await none(
      `SELECT a.code FROM sandbox_ledger_account a
       LEFT JOIN (SELECT tenant_id, account_code, sum(amount_minor) AS total FROM sandbox_ledger_posting GROUP BY tenant_id, account_code) p
         ON p.tenant_id = a.tenant_id AND p.account_code = a.code
       WHERE a.balance_minor <> coalesce(p.total, 0)`,
      'each balance equals the sum of its postings',
    );
    await none(`SELECT code FROM sandbox_ledger_account WHERE floor_minor IS NOT NULL AND balance_minor < floor_minor`, 'no balance below its floor');
    await none(
      `SELECT p.movement_id FROM sandbox_ledger_posting p JOIN sandbox_ledger_account a ON a.tenant_id = p.tenant_id AND a.code = p.account_code
       WHERE a.floor_minor IS NOT NULL AND p.balance_after_minor < a.floor_minor`,
      'no balance was ever below its floor',
    );
    await none(
      `SELECT nucleus_funding_id FROM electron_money_movement WHERE nucleus_funding_id IS NOT NULL GROUP BY nucleus_funding_id HAVING count(*) > 1`,
      'a funding moved money at most once',
    );
    await program.until(async () => {
      const [open] = await db.query<{ count: string }>(`SELECT count(*) AS count FROM electron_money_movement WHERE state <> 'recorded'`);
      return open.count === '0' ? true : undefined;
    });

    let movedOnCards = 0;
    for (const { card, portfolio } of cards) {
      const [ledger] = await db.query<{ balance_minor: string }>(
        `SELECT a.balance_minor FROM sandbox_ledger_account a JOIN electron_card c ON a.tenant_id = c.tenant_id AND a.code = 'card:' || c.vendor_card_id
         WHERE c.nucleus_card_id = $1`,
        [card],
      );
      const [nucleus] = await db.query<{ total: string; count: string }>(
        `SELECT coalesce(sum(CASE WHEN (c.doc->>'is_deposit')::boolean THEN 1 ELSE -1 END * round((t.doc->>'amount')::numeric * 100)), 0) AS total, count(*) AS count
         FROM nucleus_portfolio_transaction t JOIN nucleus_transaction_code c ON c.tenant_id = t.tenant_id AND c.id::text = t.doc->>'transaction_code_id'
         WHERE t.doc->>'portfolio_id' = $1`,
        [portfolio],
      );
      const [movements] = await db.query<{ count: string }>(
        `SELECT count(*) AS count FROM sandbox_ledger_movement m JOIN electron_card c ON c.tenant_id = m.tenant_id AND c.vendor_card_id = m.card_token
         WHERE c.nucleus_card_id = $1 AND m.kind <> 'reserve_funding'`,
        [card],
      );
      const expected = tally.moved.get(card) ?? 0;
      assert.equal(Number(ledger.balance_minor), expected, `card ${card}: the ledger holds what the answers said`);
      assert.equal(Number(nucleus.total), expected, `card ${card}: its Nucleus transactions add up to its balance`);
      assert.equal(nucleus.count, movements.count, `card ${card}: one Nucleus transaction per ledger movement`);
      movedOnCards += expected;
    }
    const drawnFromReserve = [...tally.fundingsDone].length > 0 ? Math.round((await program.ok('GET', '/card/reserve')).balance * 100) : openingReserve;
    const [spent] = await db.query<{ balance_minor: string }>(`SELECT balance_minor FROM sandbox_ledger_account WHERE code = 'card_network'`);
    assert.equal(openingReserve - drawnFromReserve, movedOnCards + Number(spent.balance_minor), 'what left the reserve is on the cards or was spent');
  });
});
