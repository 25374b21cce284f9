import type { ServerFields } from './declaration.ts';

/**
 * Every entity's record type by name. Empty here: each product's list of declarations adds
 * its own (src/nucleus/entities.ts), so the platform's typed reads know every entity
 * without the platform importing the products.
 */
export interface EntityRecords {}

export type EntityName = keyof EntityRecords & string;

/** The record type of a named entity. */
export type EntityRecord<N extends EntityName> = EntityRecords[N];

/** The fields of a named entity that reads may name: its own and the engine's. */
export type FieldOf<N extends EntityName> = keyof EntityRecord<N> & string;

export type { ServerFields };
