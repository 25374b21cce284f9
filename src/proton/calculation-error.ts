/**
 * An input the math cannot work with that a JSON Schema cannot rule out (a goal no deposit
 * reaches, an age order that is backwards). Kept free of HTTP so the calculators stay pure;
 * the routes turn it into a 400 naming the field.
 */
export class CalculationError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'CalculationError';
  }
}
