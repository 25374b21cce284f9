/**
 * Numbers in a JSON body become IEEE 754 doubles when parsed, and are stored and answered as
 * those doubles. A number whose double is not the number as written would be changed without
 * a word (12345678901234567.89 comes back as 12345678901234568), so such a number is found
 * here, in the body's text, and refused. Whatever passes reads back with the value it was sent.
 */

export interface InexactNumber {
  /** Where it is, as validation errors name fields: "price", "check.check_amount", "[2].amount". */
  field: string;
  message: string;
}

/** The smallest positive double with full precision; below it a double keeps fewer digits. */
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/**
 * Every number a double cannot hold as written has at least 16 digits in its mantissa or an
 * exponent of at least three digits, so a body without either needs no walk.
 */
const MAYBE_INEXACT = /\d[\d.]{15}|[eE][+-]?\d{3}/;

/** Outside strings, a run of these characters in valid JSON is exactly one number. */
const STRING_OR_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d[\d.eE+-]*/g;
/** A string, or the punctuation that shapes a path; what lies between (numbers, literals, colons) is skipped. */
const TOKEN = /[^"{}[\],]*(?:("[^"\\]*(?:\\.[^"\\]*)*")|([{}[\],]))/y;
const LITERAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A decimal as significant digits (no leading or trailing zeros) times a power of ten; zero has no digits. */
function decimalOf(literal: string): { negative: boolean; digits: string; exponent: number } {
  const [, sign, whole, fraction = '', exponent = '0'] = LITERAL.exec(literal) ?? [];
  const all = `${whole ?? ''}${fraction}`;
  const digits = all.replace(/^0+/, '').replace(/0+$/, '');
  if (digits === '') return { negative: false, digits, exponent: 0 };
  const trailingZeros = all.length - all.replace(/0+$/, '').length;
  return { negative: sign === '-', digits, exponent: Number(exponent) - fraction.length + trailingZeros };
}

/** Why the number as written is not the double it parses to, or undefined when it is. */
export function inexactness(literal: string): string | undefined {
  const value = Number(literal);
  if (!Number.isFinite(value)) return 'is too large to be kept as a number';
  const tooSmall = Math.abs(value) < SMALLEST_NORMAL;
  // A subnormal double keeps fewer digits than any other, so none is taken, even one that happens to read back.
  if (tooSmall && value !== 0) return 'is too close to zero to be kept exactly';
  // String() of a double is the shortest decimal that parses back to it: what is stored and
  // answered, and what a client writing its JSON with JSON.stringify sends.
  const shortest = String(value);
  if (shortest === literal) return undefined;
  const written = decimalOf(literal);
  const kept = decimalOf(shortest);
  if (written.digits === kept.digits && written.exponent === kept.exponent && written.negative === kept.negative) return undefined;
  if (tooSmall) return 'is too close to zero to be kept exactly';
  return 'has more significant digits than a number keeps exactly; send at most 15';
}

interface Frame {
  array: boolean;
  key: string;
  index: number;
}

/** The field of the value that starts at `offset` in a JSON text, found by walking the structure up to it. */
export function fieldAt(text: string, offset: number): string {
  const stack: Frame[] = [];
  let expectKey = false;
  TOKEN.lastIndex = 0;
  for (let token = TOKEN.exec(text); token && TOKEN.lastIndex <= offset; token = TOKEN.exec(text)) {
    const [, string, punctuation] = token;
    const top = stack.at(-1);
    if (string !== undefined) {
      if (top && !top.array && expectKey) {
        top.key = JSON.parse(string) as string;
        expectKey = false;
      }
    } else if (punctuation === '{' || punctuation === '[') {
      stack.push({ array: punctuation === '[', key: '', index: 0 });
      expectKey = punctuation === '{';
    } else if (punctuation === '}' || punctuation === ']') {
      stack.pop();
    } else if (punctuation === ',' && top) {
      if (top.array) top.index += 1;
      else expectKey = true;
    }
  }
  let field = '';
  for (const frame of stack) field += frame.array ? `[${frame.index}]` : field ? `.${frame.key}` : frame.key;
  return field;
}

/** The first number in a JSON text that would not read back as written; the text must be valid JSON. */
export function findInexactNumber(text: string): InexactNumber | undefined {
  if (!MAYBE_INEXACT.test(text)) return undefined;
  STRING_OR_NUMBER.lastIndex = 0;
  for (let match = STRING_OR_NUMBER.exec(text); match; match = STRING_OR_NUMBER.exec(text)) {
    const token = match[0];
    if (token.startsWith('"') || !MAYBE_INEXACT.test(token)) continue;
    const message = inexactness(token);
    if (message) return { field: fieldAt(text, match.index), message };
  }
  return undefined;
}
