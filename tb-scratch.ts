import { Type, type Static } from 'typebox';
const S = Type.Object({ a: Type.Optional(Type.Enum(['x','y'], { default: 'x' })), n: Type.Number({ exclusiveMinimum: -1 }), o: Type.Object({ q: Type.Boolean({ default: true }) }, { default: {} , additionalProperties: false}), r: Type.Record(Type.String(), Type.Number()) }, { additionalProperties: false });
type T = Static<typeof S>;
const t: T = { n: 1, o: { q: true }, r: {} };
console.log(JSON.stringify(S), t);
import { bodyAjv } from '/work/main/src/platform/http/validation.ts';
const v = bodyAjv.compile(S as object); const d: any = { n: 0, r: {} }; console.log(v(d), d, v.errors);
