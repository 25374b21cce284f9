import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { findInexactNumber, inexactness } from '../../../src/platform/http/exact-numbers.ts';

/** A JSON number literal with the given digits, a decimal point after `point` of them and an optional exponent. */
function literal(negative: boolean, digits: string, point: number, exponent: number | undefined): string {
  const mantissa = point > 0 && point < digits.length ? `${digits.slice(0, point)}.${digits.slice(point)}` : digits;
  const whole = mantissa.replace(/^0+(?=\d)/, '');
  return `${negative ? '-' : ''}${whole}${exponent === undefined ? '' : `e${exponent}`}`;
}

/** Deterministic, so a failure names a literal that fails again. */
function* literals(count: number): Generator<string> {
  let state = 20240531;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  for (let i = 0; i < count; i++) {
    const length = 1 + next(20);
    let digits = '';
    for (let d = 0; d < length; d++) digits += String(next(10));
    const exponent = next(3) === 0 ? next(700) - 350 : undefined;
    yield literal(next(2) === 0, digits, next(length + 1), exponent);
  }
}

describe('numbers a double keeps as written', () => {
  it('accepts what a double reads back as the same value, whatever its notation', () => {
    for (const ok of [
      '0', '-0', '0.0', '100', '1e2', '1E+2', '-1.5e-3', '12345.678900', '999999999999999', '123456789012.345',
      '-98765.4321', '0.000000000000000000001', '1e21', '1.7976931348623157e308', '2.2250738585072014e-308',
      // 16 and 17 significant digits that a double happens to hold exactly still pass.
      '9007199254740992', '1700000000000123', '0.1000000000000001',
      '100000000000000000000000000000',
    ]) {
      assert.equal(inexactness(ok), undefined, ok);
    }
  });

  it('refuses what would come back changed, saying why', () => {
    assert.match(inexactness('12345678901234567.89')!, /more significant digits.*at most 15/);
    assert.match(inexactness('9007199254740993')!, /more significant digits/);
    assert.match(inexactness('0.12345678901234567')!, /more significant digits/);
    assert.match(inexactness('1e400')!, /too large/);
    assert.match(inexactness('-1.8e308')!, /too large/);
    assert.match(inexactness('1e-400')!, /too close to zero/);
    assert.match(inexactness('4.9e-324')!, /too close to zero/);
    assert.match(inexactness('1e-321')!, /too close to zero/, 'a subnormal that reads back is still refused, as the README says');
    assert.equal(inexactness('2.2250738585072014e-308'), undefined, 'the smallest normal double is kept');
  });

  it('agrees with exact decimal arithmetic on random literals', () => {
    let refused = 0;
    for (const text of literals(20000)) {
      const value = Number(text);
      const exact = Number.isFinite(value) && (value === 0 || Math.abs(value) >= 2.2250738585072014e-308) && new Decimal(text).equals(new Decimal(String(value)));
      assert.equal(inexactness(text) === undefined, exact, text);
      assert.equal(findInexactNumber(`{"a":[${text}]}`) === undefined, exact, `in a body: ${text}`);
      if (!exact) refused++;
    }
    assert.ok(refused > 1000 && refused < 19000, `both outcomes are exercised (${refused} refused)`);
  });

  it('always accepts up to 15 significant digits in the normal range', () => {
    for (const text of literals(20000)) {
      const significant = text.replace(/e.*/, '').replace(/\D/g, '').replace(/^0+/, '').replace(/0+$/, '');
      const magnitude = Math.abs(Number(text));
      if (significant.length > 15 || magnitude === 0 || magnitude < 1e-307 || magnitude > 1e308) continue;
      assert.equal(inexactness(text), undefined, text);
    }
  });
});

describe('finding an inexact number in a body', () => {
  const inexact = '12345678901234567.89';

  it('names the field the way validation errors do', () => {
    const cases: [string, string][] = [
      [`{"price":${inexact}}`, 'price'],
      [`{"name":"a, b: [c]","check":{"check_number":"1","check_amount":${inexact}}}`, 'check.check_amount'],
      [`[{"price":1},{"price":2, "amount" : ${inexact}}]`, '[1].amount'],
      [`{"a":{"b":[1,[2,3],{"c":[4,${inexact}]}]}}`, 'a.b[2].c[1]'],
      [`{"quote\\"d \\\\ key":${inexact}}`, 'quote"d \\ key'],
      [`{"":{"x":{}},"y":[[],{}],"z":${inexact}}`, 'z'],
      [` ${inexact} `, ''],
    ];
    for (const [text, field] of cases) {
      JSON.parse(text);
      assert.equal(findInexactNumber(text)?.field, field, text);
    }
  });

  it('ignores digits inside strings and passes exact numbers', () => {
    assert.equal(findInexactNumber(`{"card":"4111111111111111111","note":"${inexact}","n":1e2,"m":-0.5}`), undefined);
    assert.equal(findInexactNumber('{"amount":123456789012345,"list":[1,2,3.25]}'), undefined);
  });
});
