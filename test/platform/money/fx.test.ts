import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Converter, RateTable } from '../../../src/platform/money/fx.ts';
import { Decimal } from '../../../src/platform/money/money.ts';

const d = (v: string) => new Decimal(v);

describe('FX rate table', () => {
  const table = new RateTable([
    { from: 'EUR', to: 'USD', day: '2024-01-05', rate: d('1.2') },
    { from: 'EUR', to: 'USD', day: '2024-01-01', rate: d('1.1') },
    { from: 'USD', to: 'GBP', day: '2024-01-01', rate: d('0.8') },
    { from: 'GBP', to: 'USD', day: '2024-01-10', rate: d('1.3') },
  ]);

  it('takes the latest quote on or before the day', () => {
    assert.equal(table.rate('EUR', 'USD', '2024-01-01')?.toString(), '1.1');
    assert.equal(table.rate('EUR', 'USD', '2024-01-04')?.toString(), '1.1');
    assert.equal(table.rate('EUR', 'USD', '2024-01-05')?.toString(), '1.2');
    assert.equal(table.rate('EUR', 'USD', '2023-12-31'), undefined);
  });

  it('inverts the opposite pair when it is the more recent quote', () => {
    // Only USD→GBP 0.8 is known on Jan 5: GBP→USD is 1 / 0.8 = 1.25.
    assert.equal(table.rate('GBP', 'USD', '2024-01-05')?.toString(), '1.25');
    // From Jan 10 the direct GBP→USD quote is newer.
    assert.equal(table.rate('GBP', 'USD', '2024-01-10')?.toString(), '1.3');
    assert.equal(table.rate('USD', 'EUR', '2024-01-05')?.toString(), d('1').div(d('1.2')).toString());
  });

  it('converts nothing when the currencies agree or one is unknown', () => {
    const converter = new Converter('USD', table);
    assert.equal(converter.convert(d('10'), 'USD', '2000-01-01').toString(), '10');
    assert.equal(converter.convert(d('10'), undefined, '2000-01-01').toString(), '10');
    assert.equal(converter.convert(d('10'), 'EUR', '2024-01-06').toString(), '12');
  });
});
