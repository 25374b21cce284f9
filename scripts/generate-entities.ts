/**
 * One-off generator of Nucleus entity declarations from Hydrogen's specification.
 *
 *   npx tsx scripts/generate-entities.ts [path/to/nucleus.yaml] [--force]
 *
 * Writes src/nucleus/<folder>/<name>.entity.ts for every entity path of the specification
 * that is not declared yet, and rewrites src/nucleus/entities.ts to list every
 * *.entity.ts file. The generated files were reviewed and edited by hand afterwards and are
 * the source of truth: the server never reads the specification. Existing files are left
 * alone, so rerunning it only adds what is missing; --force overwrites them and loses those
 * hand edits (unique keys, comments, the hand-written client, account and portfolio files).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';

interface SpecSchema {
  type?: string;
  format?: string;
  enum?: string[];
  $ref?: string;
  items?: SpecSchema;
  properties?: Record<string, SpecSchema>;
  required?: string[];
  additionalProperties?: unknown;
}

interface SpecOperation {
  tags?: string[];
  responses?: Record<string, { schema?: SpecSchema }>;
}

interface Spec {
  paths: Record<string, Record<string, SpecOperation>>;
  definitions: Record<string, SpecSchema>;
}

type Operation = 'create' | 'list' | 'get' | 'update' | 'delete';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const NUCLEUS_DIR = join(ROOT, 'src/nucleus');

/** Paths other issues implement: webhooks, bulk jobs, shared resources, computations. */
const SKIPPED = /^(webhook|bulk_.*|decision_tree_result|portfolio_transaction_by_post)$/;

/** Where each entity's file goes; anything not listed here stops the script. */
const FOLDERS: Record<string, string[]> = {
  client: ['client', 'client_status', 'client_response', 'household', 'document'],
  application: [
    'application', 'stage', 'feature', 'feature_track', 'notification', 'notification_client',
    'notification_setting', 'reason_code', 'audit_log',
  ],
  account: [
    'account', 'account_type', 'account_status', 'account_allocation', 'account_permission', 'bank_link',
    'funding', 'funding_transaction', 'transfer',
  ],
  card: ['card', 'card_program', 'spending_control'],
  'personal-finance': ['budget', 'overflow', 'overflow_setting', 'roundup', 'roundup_setting'],
  aggregation: [
    'aggregation_account', 'aggregation_account_balance', 'aggregation_account_holding', 'aggregation_account_transaction',
  ],
  investing: [
    'security', 'security_price', 'security_exclusion', 'model', 'model_holding', 'model_transaction',
    'model_asset_size', 'model_comment', 'allocation', 'allocation_composition', 'benchmark', 'transaction_code',
  ],
  portfolio: [
    'portfolio', 'portfolio_asset_size', 'portfolio_holding', 'portfolio_transaction', 'portfolio_comment', 'portfolio_goal',
  ],
  trading: ['order', 'order_status', 'order_track', 'order_bulk'],
  goal: ['goal', 'goal_track'],
  advice: ['questionnaire', 'question', 'answer', 'risk_profile', 'score', 'decision_tree', 'node', 'node_relationship'],
  business: ['business', 'contact', 'invoice', 'invoice_payment', 'financial_statement', 'customer_revenue'],
};

/**
 * Their POST takes another shape than the record (a computation or a per-client grant), and
 * account_permission is addressed by account_id; the engine serves only their reads.
 */
const ENGINE_OPERATIONS: Record<string, Operation[]> = {
  account_permission: ['list'],
  order_bulk: ['list'],
  overflow: ['list', 'get'],
  roundup: ['list', 'get'],
};

/** Back-references in Hydrogen's definitions: they would make the shapes recursive and are never written. */
const OMITTED_FIELDS: Record<string, string[]> = {
  Answer: ['question'],
  Question: ['answers', 'questionnaire'],
  Questionnaire: ['questions'],
  Member: ['household'],
  ClientRelationship: ['member'],
};

/** Id fields whose name does not end in the entity they point at. */
const REFERENCE_OVERRIDES: Record<string, string | null> = {
  proxy_id: 'security',
  component_id: 'security',
  node_parent_id: 'node',
  node_child_id: 'node',
  // Groups the orders of one bulk run; it is not the id of an order_bulk record.
  order_bulk_id: null,
};

/** Fields whose type the specification leaves as a bare string. */
const DATE_FIELDS = new Set(['date_of_birth']);

function folderOf(name: string): string {
  for (const [folder, names] of Object.entries(FOLDERS)) if (names.includes(name)) return folder;
  throw new Error(`no folder for entity ${name}`);
}

function refName(ref: string): string {
  return ref.split('/').pop()!;
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function operationsOf(spec: Spec, name: string): Operation[] {
  const base = spec.paths[`/nucleus/v1/${name}`];
  // The path parameter is not always <name>_id (account_permission/{account_id}).
  const byIdPath = Object.keys(spec.paths).find((p) => new RegExp(`^/nucleus/v1/${name}/\\{[a-z_]+\\}$`).test(p));
  const byId = byIdPath ? spec.paths[byIdPath] : {};
  const operations: Operation[] = [];
  if (base.post) operations.push('create');
  if (base.get) operations.push('list');
  if (byId.get) operations.push('get');
  if (byId.put) operations.push('update');
  if (byId.delete) operations.push('delete');
  return ENGINE_OPERATIONS[name] ?? operations;
}

/** The record's definition: what a list returns a page of. */
function recordDefinition(spec: Spec, name: string): string {
  const page = spec.paths[`/nucleus/v1/${name}`].get?.responses?.['200']?.schema?.$ref;
  if (!page) throw new Error(`${name} has no list operation to read its record shape from`);
  return refName(page).replace(/^Page«(.*)»$/, '$1');
}

const SERVER_FIELDS = new Set(['id', 'secondary_id', 'metadata', 'create_date', 'update_date']);

function fieldsOf(spec: Spec, definition: string, top: boolean): [string, SpecSchema][] {
  const omitted = new Set(OMITTED_FIELDS[definition] ?? []);
  return Object.entries(spec.definitions[definition].properties ?? {}).filter(
    ([field]) => !omitted.has(field) && !(top && SERVER_FIELDS.has(field)),
  );
}

/** TypeBox source for a definition: nested definitions become named constants, declared once each. */
class TypeEmitter {
  private readonly constants: string[] = [];
  private readonly declared = new Set<string>();

  constructor(private readonly spec: Spec) {}

  /** The definition's properties, required ones first, one line each. */
  properties(definition: string, indent: string, top: boolean): string {
    const required = new Set(this.spec.definitions[definition].required ?? []);
    const fields = fieldsOf(this.spec, definition, top);
    fields.sort(([a], [b]) => Number(required.has(b)) - Number(required.has(a)));
    return fields
      .map(([field, schema]) => {
        const type = this.type(schema, field);
        return `${indent}${field}: ${required.has(field) ? type : `Type.Optional(${type})`},`;
      })
      .join('\n');
  }

  /** The constants the properties use, innermost first, so each is declared before use. */
  constantsSource(): string {
    return this.constants.map((c) => `${c}\n\n`).join('');
  }

  private type(schema: SpecSchema, field: string): string {
    if (schema.$ref) return this.constant(refName(schema.$ref));
    switch (schema.type) {
      case 'string':
        return stringType(schema, field);
      case 'integer':
        return 'Type.Integer()';
      case 'number':
        return 'Type.Number()';
      case 'boolean':
        // Hydrogen documents every is_active flag as defaulting to true.
        return field === 'is_active' ? 'Type.Boolean({ default: true })' : 'Type.Boolean()';
      case 'array':
        return `Type.Array(${this.type(schema.items ?? {}, field)})`;
      default:
        throw new Error(`unsupported schema for ${field}: ${JSON.stringify(schema)}`);
    }
  }

  private constant(definition: string): string {
    if (!this.declared.has(definition)) {
      this.declared.add(definition);
      if (this.spec.definitions[definition].additionalProperties !== undefined) throw new Error(`${definition} is a map`);
      const body = this.properties(definition, '    ', false);
      this.constants.push(
        `const ${definition} = Type.Object(\n  {\n${body}\n  },\n  { additionalProperties: false, title: '${definition}' },\n);`,
      );
    }
    return definition;
  }
}

function stringType(schema: SpecSchema, field: string): string {
  if (schema.enum) return `Type.Enum([${schema.enum.map((v) => `'${v}'`).join(', ')}], { type: 'string' })`;
  if (schema.format === 'uuid' || schema.format === 'date' || schema.format === 'date-time') {
    return `Type.String({ format: '${schema.format}' })`;
  }
  if (DATE_FIELDS.has(field)) return "Type.String({ format: 'date' })";
  if (field === 'currency_code') return "Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })";
  if (field === 'email') return "Type.String({ format: 'email' })";
  return 'Type.String()';
}

/** The declared entity an id field names: its whole stem, else the longest entity its stem ends with. */
function referenceTarget(field: string, entities: Set<string>): string | undefined {
  if (field in REFERENCE_OVERRIDES) return REFERENCE_OVERRIDES[field] ?? undefined;
  const parts = field.replace(/_id$/, '').split('_');
  for (let start = 0; start < parts.length; start++) {
    const candidate = parts.slice(start).join('_');
    if (entities.has(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Id fields of the record and of the objects in its arrays, as the engine's paths
 * ("account_id", "clients[].client_id"). Ids in lone nested objects and id arrays are not
 * paths the engine checks; none of those names a Nucleus entity.
 */
function referencesOf(spec: Spec, definition: string, entities: Set<string>, prefix = ''): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [field, schema] of fieldsOf(spec, definition, prefix === '')) {
    if (schema.type === 'array' && schema.items?.$ref) {
      Object.assign(found, referencesOf(spec, refName(schema.items.$ref), entities, `${prefix}${field}[].`));
    } else if (schema.format === 'uuid') {
      const target = referenceTarget(field, entities);
      if (target) found[`${prefix}${field}`] = target;
    }
  }
  return found;
}

function entitySource(spec: Spec, name: string, entities: Set<string>, webhookServices: Set<string>): string {
  const definition = recordDefinition(spec, name);
  const emitter = new TypeEmitter(spec);
  const fields = emitter.properties(definition, '    ', true);
  const references = Object.entries(referencesOf(spec, definition, entities));
  const operations = operationsOf(spec, name);
  const tag = spec.paths[`/nucleus/v1/${name}`].get?.tags?.[0] ?? 'Nucleus';
  const lines = [`  name: '${name}',`, `  title: '${definition}',`, `  tag: '${tag}',`];
  if (webhookServices.has(name)) lines.push(`  webhookService: '${name}',`);
  if (operations.length < 5) lines.push(`  operations: [${operations.map((o) => `'${o}'`).join(', ')}],`);
  if (references.length > 0) {
    lines.push('  references: {');
    for (const [path, target] of references) lines.push(`    ${/^[a-z_]+$/.test(path) ? path : `'${path}'`}: '${target}',`);
    lines.push('  },');
  }
  lines.push(`  schema: Type.Object({\n${fields}\n  }),`);
  return [
    "import { Type } from 'typebox';",
    "import { defineEntity } from '../../platform/entity/declaration.ts';",
    '',
    `${emitter.constantsSource()}export default defineEntity({`,
    ...lines,
    '});',
    '',
  ].join('\n');
}

function entityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entityFiles(path);
    return entry.name.endsWith('.entity.ts') ? [path] : [];
  });
}

function registrySource(): string {
  const files = entityFiles(NUCLEUS_DIR).sort();
  const imports = files.map((file) => {
    const stem = file.split('/').pop()!.replace(/\.entity\.ts$/, '');
    return { identifier: camel(stem.replace(/-/g, '_')), path: `./${relative(NUCLEUS_DIR, file)}` };
  });
  return [
    "import type { EntityDeclaration } from '../platform/entity/declaration.ts';",
    ...imports.map((i) => `import ${i.identifier} from '${i.path}';`),
    '',
    '/** Every Nucleus entity served by the engine. */',
    'export const nucleusEntities: EntityDeclaration[] = [',
    ...imports.map((i) => `  ${i.identifier},`),
    '];',
    '',
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const specPath = args.find((a) => !a.startsWith('--')) ?? join(ROOT, '../shared/specs/nucleus.yaml');
  const spec = parse(readFileSync(specPath, 'utf8')) as Spec;
  const names = Object.keys(spec.paths)
    .map((p) => /^\/nucleus\/v1\/([a-z_]+)$/.exec(p)?.[1])
    .filter((n): n is string => n !== undefined && !SKIPPED.test(n));
  const entities = new Set(names);
  const webhookServices = new Set(spec.definitions.Webhook.properties?.atom_service?.items?.enum ?? []);
  for (const name of names) {
    const file = join(NUCLEUS_DIR, folderOf(name), `${name.replace(/_/g, '-')}.entity.ts`);
    if (existsSync(file) && !force) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, entitySource(spec, name, entities, webhookServices));
    console.log(`wrote ${relative(ROOT, file)}`);
  }
  writeFileSync(join(NUCLEUS_DIR, 'entities.ts'), registrySource());
  console.log('wrote src/nucleus/entities.ts');
}

main();
