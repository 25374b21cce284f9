import { Type, type TSchema } from 'typebox';
import { MAX_SEARCH_YEARS } from './calculators/search-limit.ts';

/**
 * Field builders shared by the calculator request schemas, so that a rate, an amount or a
 * frequency means the same thing on every endpoint.
 */

const FRACTION = 'as a fraction (0.05 = 5%)';

export function annualRate(description: string, bounds: { minimum?: number; exclusiveMinimum?: number; maximum?: number } = {}, defaultValue?: number) {
  return Type.Number({ description: `${description}; annual, ${FRACTION}`, ...bounds, ...(defaultValue === undefined ? {} : { default: defaultValue }) });
}

/** Whole periods of the given frequency, bounded so that a request's work stays finite. */
export function periodCount(description: string, minimum: number, maximumPeriodsPerYear: number) {
  return Type.Integer({ description, minimum, maximum: MAX_SEARCH_YEARS * maximumPeriodsPerYear });
}

/** An age in whole years. */
export function age(description: string, extra: { default?: number } = {}) {
  return Type.Integer({ description: `${description}, in whole years`, minimum: 0, maximum: MAX_SEARCH_YEARS, ...extra });
}

/** A return can lose at most everything. */
export function portfolioReturn() {
  return annualRate('Expected return of the portfolio', { exclusiveMinimum: -1 });
}

export function inflationRate(description = 'Inflation', defaultValue = 0) {
  return annualRate(description, { minimum: -1 }, defaultValue);
}

export function taxRate(description: string, defaultValue = 0) {
  return Type.Number({ description: `${description}, ${FRACTION}`, minimum: 0, maximum: 1, default: defaultValue });
}

export function fraction(description: string, defaultValue: number) {
  return Type.Number({ description: `${description}, ${FRACTION}`, minimum: 0, maximum: 1, default: defaultValue });
}

export function money(description: string, defaultValue?: number) {
  return Type.Number({ description, minimum: 0, ...(defaultValue === undefined ? {} : { default: defaultValue }) });
}

export function wholeYears(description: string, minimum: number) {
  return Type.Integer({ description: `${description}, in whole years`, minimum, maximum: MAX_SEARCH_YEARS });
}

export const SAVINGS_FREQUENCIES = ['year', 'quarter', 'month', 'week', 'day'] as const;

export function frequency<const V extends readonly string[]>(values: V, defaultValue: V[number], description: string) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], default: defaultValue, description });
}

const BALANCE_SOURCES: Record<string, string> = {
  account: 'the last asset size of each of its portfolios',
  aggregation_account: 'its last balance record, negative for a liability (is_asset false)',
};

/**
 * Ids of Nucleus records whose latest balances feed the calculation's balance today. Where
 * the balance today is what is solved for, they are only checked.
 */
export function nucleusIds(entity: string, options: { balanceSolvedFor?: boolean } = {}) {
  const use = options.balanceSolvedFor
    ? 'Only checked: this endpoint solves for the balance today.'
    : `Their latest balances (${BALANCE_SOURCES[entity] ?? 'their latest balance'}) are added to the balance today; balances in more than one currency are refused.`;
  return Type.Unsafe<string[] | null>({
    type: ['array', 'null'],
    items: { type: 'string', format: 'uuid' },
    minItems: 1,
    default: null,
    description: `Ids of Nucleus ${entity} records; each must exist for the caller (404 otherwise). ${use}`,
  });
}

export const createLog = () =>
  Type.Boolean({ default: false, description: 'Accepted for compatibility; Deuterium stores nothing about a calculation.' });

/** Accepted because Hydrogen's request lists it, but it is the quantity being solved for. */
export function solvedFor<T extends TSchema>(schema: T): T {
  return { ...schema, description: `Ignored: this endpoint solves for it. ${(schema as { description?: string }).description ?? ''}`.trim() };
}

/**
 * Marks every property that has a default as not required, throughout a schema. Properties
 * are declared required so their TypeScript type is the one a handler sees after the
 * validator has filled in defaults; the published schema still lets a client omit them.
 */
export function defaultsOptional<T extends TSchema>(schema: T): T {
  const node = schema as unknown as Record<string, unknown>;
  const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties) {
    for (const child of Object.values(properties)) defaultsOptional(child as unknown as TSchema);
    if (Array.isArray(node.required)) {
      node.required = (node.required as string[]).filter((name) => properties[name]?.default === undefined);
      if ((node.required as string[]).length === 0) delete node.required;
    }
  }
  if (node.items && typeof node.items === 'object') defaultsOptional(node.items as TSchema);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(node[key])) for (const part of node[key] as TSchema[]) defaultsOptional(part);
  }
  return schema;
}
