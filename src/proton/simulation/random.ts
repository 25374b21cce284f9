import { randomBytes } from 'node:crypto';

/**
 * A seedable source of standard normal shocks for the simulations.
 *
 * No small maintained npm generator fits the need (seeded, 32-bit arithmetic that V8 keeps in
 * registers, bulk filling of typed arrays), so this is the published xoshiro128** generator of
 * Blackman and Vigna (2018): period 2^128 − 1, passes BigCrush, and each step is a handful of
 * 32-bit shifts and rotations that JavaScript does natively, unlike the 64-bit variants that
 * need BigInt. Its 128-bit state is filled from the seed by splitmix32, as the authors advise,
 * so that nearby seeds give unrelated streams. Normals come from the Marsaglia polar method,
 * which needs no trigonometry and yields two independent normals per accepted pair.
 */
export class NormalSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(readonly seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Fills the array with independent standard normal draws. */
  fillNormals(out: Float64Array): void {
    let i = 0;
    if (this.hasSpare && out.length > 0) {
      out[i++] = this.spare;
      this.hasSpare = false;
    }
    while (i < out.length) {
      let u: number;
      let v: number;
      let s: number;
      // 32-bit uniforms on [−1, 1): the polar method needs no finer grid, and one draw each halves the cost.
      do {
        u = this.nextUint32() * TWO_TO_MINUS_31 - 1;
        v = this.nextUint32() * TWO_TO_MINUS_31 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const scale = Math.sqrt((-2 * Math.log(s)) / s);
      out[i++] = u * scale;
      if (i < out.length) out[i++] = v * scale;
      else {
        this.spare = v * scale;
        this.hasSpare = true;
      }
    }
  }
}

const TWO_TO_MINUS_31 = 2 ** -31;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seed for a run that asked for none: fresh from the operating system's generator. */
export function freshSeed(): number {
  return randomBytes(4).readUInt32BE(0) & 0x7fffffff;
}
