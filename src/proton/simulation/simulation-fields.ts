import { Type } from 'typebox';
import { MAX_PATHS } from './monte-carlo.ts';

/** Request fields every simulation shares, so that n, seed and outliers mean the same everywhere. */

export function pathCount() {
  return Type.Integer({
    minimum: 1,
    maximum: MAX_PATHS,
    default: 1000,
    description: `Number of simulated paths, 1 to ${MAX_PATHS} (Deuterium accepts up to ${MAX_PATHS}); paths × periods may not exceed 4,000,000`,
  });
}

export function seed() {
  return Type.Union([Type.Integer({ minimum: 0, maximum: 4294967295 }), Type.Null()], {
    default: null,
    description:
      'Deuterium extension: seed of the random generator (0 to 2^32 − 1). The same seed and inputs give the same result; without one every run draws a fresh seed, reported in the response.',
  });
}

export function removeOutliers(defaultValue: boolean) {
  return Type.Boolean({
    default: defaultValue,
    description: 'Leave out paths whose final balance lies more than 2.5 scaled median absolute deviations from the median final balance',
  });
}

export function nullableId(entity: string) {
  return Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    default: null,
    description: `Id of a Nucleus ${entity} whose holdings define the portfolio; read with the caller's rights (404 outside them)`,
  });
}

export const MARKET_DATA_SOURCE = Type.Union([Type.Literal('nucleus'), Type.Literal('integration')], {
  default: 'nucleus',
  description: 'Where prices come from; only nucleus (security prices stored in Nucleus) is served',
});

export const USE_PROXY_DATA = Type.Boolean({ default: false, description: "Fill a security's missing early prices from its proxy security" });

export function seedOut() {
  return Type.Integer({ minimum: 0, maximum: 4294967295, description: 'The seed the run used: send it back as seed to reproduce the run' });
}
