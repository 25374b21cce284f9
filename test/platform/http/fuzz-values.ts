import fc from 'fast-check';

/**
 * JSON text placed into a body as written: numbers JSON.stringify cannot write (-0, 1e400,
 * more digits than a double keeps) and nesting too deep to build and serialise as values.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${toJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Deep enough to overflow any recursive walk over a body; the parser must refuse it first (nesting-depth.ts). */
const DEPTH = 5_000;

export const DEEP_JSON = [
  new RawJson('['.repeat(DEPTH) + ']'.repeat(DEPTH)),
  new RawJson('{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH)),
  new RawJson('[{"a":'.repeat(DEPTH / 2) + 'null' + '}]'.repeat(DEPTH / 2)),
];

/** Text a server has to survive: control characters, lone surrogates, injection shapes, look-alikes of other types. */
const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001b\u001f\u007f',
  '\t\r\n',
  '\ud800',
  'a\udfffb',
  '\ufeff',
  '\u202eevil',
  '😀👩‍👩‍👧‍👦',
  'Ω≈ç√∫˜µ≤≥÷',
  'ﷺ',
  '\u0301\u0301\u0301',
  "'",
  '"',
  '\\',
  "'; DROP TABLE nucleus_client;--",
  '" OR 1=1 --',
  '%00',
  '%',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '1e-321',
  '1e400',
  '9223372036854775808',
  '0x10',
  ' 1',
  '2024-02-30',
  '2024-13-01T25:61:61Z',
  '0000-00-00',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20',
  '9999-12-31T23:59:60Z',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '__proto__',
];

export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_TEXT), weight: 4 },
  { arbitrary: fc.constantFrom('x', 'é', '😀', '\u0001', "'").map((unit) => unit.repeat(10_000)), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
);

const NASTY_NUMBERS: unknown[] = [
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 63,
  -(2 ** 63),
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  2 ** 31,
  -1,
  0,
  0.1,
  1.5,
  1e21,
  1e-7,
  new RawJson('-0'),
  new RawJson('-0.0'),
  new RawJson('1e-321'),
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('123456789012345678901234567890'),
  new RawJson('0.30000000000000000000000001'),
  new RawJson('1E+2'),
];

export const nastyNumber: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_NUMBERS), weight: 3 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
);

/** Names a body was never meant to carry, a few of them meaningful to JavaScript or JSON parsers. */
export const unknownKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('unknown_field', 'clientType', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', '\u0000', 'é😀', '$where', 'a.b', 'x'.repeat(300)),
  fc.string({ maxLength: 12 }),
);

/** Any value of any type, for a field that expects something else. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyText, weight: 4 },
  { arbitrary: nastyNumber, weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}), weight: 2 },
  { arbitrary: fc.constantFrom(...DEEP_JSON), weight: 1 },
  { arbitrary: fc.array(fc.oneof(nastyText, nastyNumber), { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(unknownKey, fc.oneof(nastyText, nastyNumber), { maxKeys: 3 }), weight: 1 },
);

/** Percent-encodes text as UTF-8, lone surrogates included (as U+FFFD), which encodeURIComponent refuses. */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9_.~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Path segments that are no id of anything, as they would appear in the URL (percent-encoding included). */
export const nastyPathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'abc',
    '1',
    '-1',
    '0',
    'null',
    'undefined',
    '%00',
    '%2F',
    '%2e%2e',
    '%ZZ',
    '%',
    '%C0%AF',
    '%ED%A0%80',
    '{00000000-0000-0000-0000-000000000000}',
    '00000000-0000-0000-0000-00000000000g',
    "'%3B%20DROP%20TABLE%20nucleus_client",
    'x'.repeat(101),
    'x'.repeat(5_000),
  ),
  nastyText.map(percentEncode),
);

/** Filter values a careless SQL translation would trip on. */
export const nastyFilter: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "id=='",
    'id=="',
    "last_name=='O''Brien'",
    'last_name=="a\\"b"',
    "id==';DROP TABLE nucleus_client;--'",
    'id==%00',
    'first_name==*',
    'first_name==%',
    'first_name=like=%_%',
    'create_date=gt=notadate',
    'create_date=gt=2024-02-30',
    'update_date=lt=+275760-09-13T00:00:00Z',
    'income=gt=1e308',
    'income=gt=1e400',
    'income=lt=-0',
    'income=gt=9223372036854775808',
    'id=in=()',
    'id=in=(a,b,c)',
    'id=out=(' + 'x,'.repeat(2000) + 'x)',
    'metadata.key==1',
    'metadata.a.b.c==1',
    'metadata==x',
    'a==b;c==d,e==f',
    '(((((((((((((((id==1)))))))))))))))',
    '('.repeat(2_000) + 'id==1' + ')'.repeat(2_000),
    'id==1;'.repeat(700) + 'id==1',
    'no_such_field==1',
    'is_active==maybe',
    'id=bogus=1',
    '==',
    ';',
    '',
    'x'.repeat(4_001),
  ),
  fc.tuple(fc.constantFrom('id', 'first_name', 'create_date', 'metadata.x', 'is_active', 'name'), fc.constantFrom('==', '!=', '=gt=', '=le=', '=in=', '=out='), nastyText).map(
    ([field, operator, value]) => `${field}${operator}${JSON.stringify(value)}`,
  ),
);

export const nastyOrderBy: fc.Arbitrary<string> = fc.constantFrom(
  'id;DROP TABLE nucleus_client',
  'id desc',
  '-id',
  'no_such_field',
  'metadata',
  'metadata.x',
  'metadata.a.b.c.d.e.f',
  '..',
  'id,create_date',
  '"id"',
  "'",
  '%00',
  'x'.repeat(5_000),
  '',
);

export const nastyPaging: fc.Arbitrary<string> = fc.constantFrom('-1', '0', '1.5', '1e308', '1e-321', '-0', '9223372036854775808', '99999999999', '10001', 'abc', '', '0x10', 'NaN', 'Infinity');

/** A query string parameter value, already encoded: mostly proper percent-encoding, sometimes bytes that decode to nothing valid. */
export function encodeQueryValue(value: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(percentEncode(value)), weight: 6 },
    { arbitrary: fc.constantFrom('%00', '%ZZ', '%', '%C0%AF', '%ED%A0%80', '%FF', '+', '%2B%26%3D'), weight: 1 },
  );
}
