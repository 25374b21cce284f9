import { Type } from 'typebox';

/** Request and response fields the card family's operations share. */

export function nullable<T extends ReturnType<typeof Type.String>>(schema: T, description: string) {
  return Type.Union([schema, Type.Null()], { default: null, description });
}

export const currencyCode = (description: string) => Type.String({ pattern: '^[A-Z]{3}$', description: `${description}; ISO 4217 code` });

export const transactionStatusScope = () =>
  Type.Union([Type.Array(Type.String(), { description: 'A status' }), Type.Null()], {
    default: null,
    description: 'Only card transactions whose status is one of these count; null counts every status',
  });

export const uuidList = (description: string) =>
  Type.Union([Type.Array(Type.String({ format: 'uuid' }), { minItems: 1 }), Type.Null()], { default: null, description });


export const HISTORY_INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export const FREQUENCY_UNITS = ['daily', 'weekly', 'bi-weekly', 'monthly', 'quarterly', 'annually'] as const;
