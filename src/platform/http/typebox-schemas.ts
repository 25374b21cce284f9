import { Type, type Static, type TEnum, type TEnumValue, type TSchema, type TSchemaOptions, type TUnsafe } from 'typebox';

/**
 * A parameter the client may leave out and the handler always reads: validation fills in its
 * default (useDefaults), so it is optional in the schema but present in the handler's type.
 */
export function defaulted<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  return Type.Unsafe<Static<T>>(Type.Optional(schema));
}

/**
 * One of a list of strings, documented with `type: string` as the specifications do, where
 * Type.Union of literals would document an anyOf.
 */
export function stringEnum<const Values extends string[]>(values: readonly [...Values], options: TSchemaOptions = {}): TEnum<Values> {
  return Type.Enum(values, { type: 'string', ...options });
}

/**
 * The answer of a 204: documented as null, as Hydrogen's specifications do, and sent with an
 * empty reply.send(), which is what its type lets the handler do.
 */
export function noContent(description: string): TUnsafe<void> {
  return Type.Unsafe<void>({ type: 'null', description });
}
