import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays } from '../../../src/proton/calendar.ts';
import { SpendGroups } from '../../../src/proton/card/spend-groups.ts';
import { CARD_TRANSACTION_TYPES, decide, limitUse, limitWindow, type CardSpend, type SpendingControl } from '../../../src/proton/card/spending-rules.ts';

/** A small deterministic generator, so that a failing case can be run again. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    maybe: <T>(value: T): T | undefined => (next() < 0.5 ? value : undefined),
  };
}

const UNITS = ['daily', 'weekly', 'bi-weekly', 'monthly', 'quarterly', 'annually', 'one_time'];
const SCOPES = ['all', 'purchase', 'atm_withdrawal', 'merchant', 'mcc', 'transaction_category', 'country'];

function randomControls(g: ReturnType<typeof generator>, currencies: readonly string[]): SpendingControl[] {
  return Array.from({ length: 1 + g.int(8) }, (_, i) => {
    const type = g.pick(['spending_limit', 'spending_limit', 'transaction_limit', 'deny_list', 'allow_list']);
    const isLimit = type === 'spending_limit' || type === 'transaction_limit';
    return {
      id: `c${i}`,
      type,
      scope: g.pick(SCOPES),
      values: [g.pick(['Cafe', 'cafe', 'Books', '5812', 'US', 'food'])],
      ...(isLimit ? { limit: type === 'spending_limit' ? g.int(60_000) : g.int(40), unit: g.pick(UNITS) } : {}),
      frequency: 1 + g.int(3),
      currency: g.pick(currencies),
    };
  });
}

function randomSpend(g: ReturnType<typeof generator>, day: string): CardSpend {
  const currency = g.maybe(g.pick(['USD', 'USD', 'EUR']));
  const merchant = g.maybe(g.pick(['Cafe', 'CAFE', 'Books', '']));
  const mcc = g.maybe(g.pick(['5812', '5942']));
  const category = g.maybe(g.pick(['food', 'Food', 'books']));
  const country = g.maybe(g.pick(['US', 'us', 'CA']));
  return {
    day: addDays(day, -g.int(500)),
    cents: 1 + g.int(9_000),
    type: g.pick(CARD_TRANSACTION_TYPES),
    ...(currency === undefined ? {} : { currency }),
    ...(merchant === undefined ? {} : { merchant }),
    ...(mcc === undefined ? {} : { mcc }),
    ...(category === undefined ? {} : { category }),
    ...(country === undefined ? {} : { country }),
  };
}

/** Stands for the FX conversion: every transaction not in the control's currency, converted and rounded on its own. */
const toControl = (spend: CardSpend, control: SpendingControl): CardSpend =>
  (spend.currency ?? 'USD') === control.currency ? spend : { ...spend, cents: Math.round(spend.cents * 1.0837), currency: control.currency };

describe('spending summed for the limits', () => {
  test('decisions and limit uses over the sums are those over the transactions themselves', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const g = generator(seed);
      const day = addDays('2026-01-01', g.int(400));
      const controls = randomControls(g, seed % 3 === 0 ? ['USD', 'EUR'] : ['USD']);
      const groups = new SpendGroups(
        controls,
        controls.map((c) => limitWindow(c, day)),
        'USD',
      );
      // Some come several times alike, as held approvals do.
      const earlier: CardSpend[] = [];
      for (let n = g.int(300); n > 0; n--) {
        const spend = randomSpend(g, day);
        const times = g.int(4) === 0 ? 1 + g.int(5) : 1;
        groups.add(spend, times);
        for (let t = 0; t < times; t++) earlier.push(spend);
      }
      const summed = groups.entries();
      for (const control of controls) {
        const plain = limitUse(control, day, earlier.map((e) => toControl(e, control)));
        const grouped = limitUse(control, day, summed.map((e) => toControl(e, control)));
        assert.deepEqual(grouped, plain, `seed ${seed}, control ${JSON.stringify(control)}`);
      }
      for (let k = 0; k < 5; k++) {
        const spend = { ...randomSpend(g, day), day };
        const input = { cardActive: true, spend, partialAuth: g.int(2) === 0, controls, toControl };
        assert.deepEqual(decide({ ...input, earlier: summed }), decide({ ...input, earlier }), `seed ${seed}, spend ${JSON.stringify(spend)}`);
      }
    }
  });

  test('transactions alike in one stretch of days are one entry; a repeated one counts as many', () => {
    const day = '2026-03-04';
    const controls: SpendingControl[] = [
      { id: 'd', type: 'spending_limit', scope: 'all', values: [], limit: 100_000, unit: 'daily', frequency: 1, currency: 'USD' },
      { id: 'm', type: 'transaction_limit', scope: 'purchase', values: [], limit: 100, unit: 'monthly', frequency: 1, currency: 'USD' },
    ];
    const groups = new SpendGroups(
      controls,
      controls.map((c) => limitWindow(c, day)),
      'USD',
    );
    const cafe = (on: string, cents: number): CardSpend => ({ day: on, cents, type: 'purchase', merchant: 'Cafe' });
    groups.add(cafe('2026-03-01', 500));
    groups.add(cafe('2026-03-02', 700));
    groups.add(cafe('2026-03-04', 300), 3);
    groups.add({ ...cafe('2026-03-04', 200), currency: 'EUR' });
    groups.add(cafe('2026-02-27', 900));
    assert.deepEqual(
      groups.entries().sort((a, b) => a.day.localeCompare(b.day) || a.cents - b.cents),
      [
        { ...cafe('2026-02-27', 900) },
        { ...cafe('2026-03-01', 1200), count: 2, currency: 'USD' },
        { ...cafe('2026-03-04', 200), currency: 'EUR' },
        { ...cafe('2026-03-04', 900), count: 3, currency: 'USD' },
      ],
    );
  });
});
