import type { EntityDeclaration } from './declaration.ts';

export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  format?: string;
  default?: unknown;
};

/** Plain JSON copy: drops TypeBox's symbol markers so any JSON Schema tool can read it. */
export function plain<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema)) as T;
}

const SERVER_FIELDS = {
  id: { type: 'string', format: 'uuid', readOnly: true, description: 'Set by the server' },
  create_date: { type: 'string', format: 'date-time', readOnly: true, description: 'Set by the server, UTC' },
  update_date: { type: 'string', format: 'date-time', readOnly: true, description: 'Set by the server, UTC' },
} satisfies Record<string, JsonSchema>;

const COMMON_FIELDS = {
  secondary_id: { type: 'string', maxLength: 255, description: 'Your own identifier for this record' },
  metadata: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Your own key-value pairs; values are strings',
  },
} satisfies Record<string, JsonSchema>;

export const SERVER_FIELD_NAMES = Object.keys(SERVER_FIELDS);

function withoutDefaults(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'default') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      copy.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, withoutDefaults(v)]),
      );
    } else if (key === 'items' && value && typeof value === 'object') {
      copy.items = withoutDefaults(value as JsonSchema);
    } else {
      copy[key] = value;
    }
  }
  return copy;
}

function withoutWriteOnly(schema: JsonSchema, secrets: string[]): JsonSchema {
  const properties = { ...schema.properties };
  for (const secret of secrets) delete properties[secret];
  return { ...schema, properties, required: (schema.required ?? []).filter((r) => !secrets.includes(r)) };
}

/** The schemas one declaration yields: what may be created, what may be updated, what is stored. */
export interface EntitySchemas {
  create: JsonSchema;
  update: JsonSchema;
  record: JsonSchema;
}

export function deriveSchemas(declaration: EntityDeclaration): EntitySchemas {
  const own = plain(declaration.schema) as unknown as JsonSchema;
  // Read-only fields are accepted and then ignored, so a client may send back a record it read.
  const acceptedServerFields = Object.fromEntries(
    Object.keys(SERVER_FIELDS).map((name) => [name, { description: 'Ignored: set by the server' }]),
  );
  const create: JsonSchema = {
    type: 'object',
    title: `${declaration.title}Create`,
    properties: { ...own.properties, ...COMMON_FIELDS, ...acceptedServerFields },
    required: own.required ?? [],
    additionalProperties: false,
  };
  const update: JsonSchema = withoutDefaults({
    type: 'object',
    title: `${declaration.title}Update`,
    properties: { ...own.properties, ...COMMON_FIELDS, ...acceptedServerFields },
    additionalProperties: false,
  });
  const record = withoutWriteOnly(
    {
      type: 'object',
      title: declaration.title,
      properties: { ...SERVER_FIELDS, ...COMMON_FIELDS, ...withoutDefaults(own).properties },
      required: ['id', 'create_date', 'update_date', ...(own.required ?? [])],
    },
    declaration.secrets ?? [],
  );
  return { create, update, record };
}
