import { parse } from '@rsql/parser';
import type { ExpressionNode } from '@rsql/ast';
import type { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import { compileFieldPath, SQL_CAST, type FieldContext, type ScalarKind } from './field-paths.ts';
import { UUID } from '../entity/uuid.ts';

/** Collects parameter values and hands out their placeholders. */
export class SqlParams {
  readonly values: unknown[];
  constructor(initial: unknown[] = []) {
    this.values = [...initial];
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const ALIASES: Record<string, string> = {
  '=lt=': '<',
  '=le=': '<=',
  '=gt=': '>',
  '=ge=': '>=',
  '=eq=': '==',
  '=ne=': '!=',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(message: string): ApiError {
  return errors.invalidFilter({ problem: message });
}

function typedValue(raw: string, kind: ScalarKind, selector: string): unknown {
  switch (kind) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw invalid(`"${raw}" is not a number, as ${selector} requires`);
      return raw.trim();
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid(`"${raw}" is not true or false, as ${selector} requires`);
      return raw;
    case 'date-time':
      if (Number.isNaN(Date.parse(raw))) throw invalid(`"${raw}" is not a date-time, as ${selector} requires`);
      return new Date(raw).toISOString();
    case 'date':
      if (!DATE.test(raw) || Number.isNaN(Date.parse(raw))) throw invalid(`"${raw}" is not a date (YYYY-MM-DD), as ${selector} requires`);
      return raw;
    case 'uuid':
      if (!UUID.test(raw)) throw invalid(`"${raw}" is not a UUID, as ${selector} requires`);
      return raw.toLowerCase();
    default:
      return raw;
  }
}

/**
 * A UUID in a document is stored in lower case (see the entity store), as a filter's value is
 * made, so equal UUIDs are equal texts: comparing the texts lets the reference indexes on
 * (tenant_id, doc->>'field') serve the filter, which a cast to uuid would not.
 */
function textEquality(kind: ScalarKind, inDocument: boolean): boolean {
  return kind === 'uuid' && inDocument;
}

function likePattern(raw: string): string {
  return raw.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

function compileComparison(
  selector: string,
  operator: string,
  value: string | string[],
  context: FieldContext,
  params: SqlParams,
): string {
  const op = ALIASES[operator] ?? operator;
  const values = Array.isArray(value) ? value : [value];
  const single = (): string => {
    if (Array.isArray(value)) throw invalid(`operator ${operator} on ${selector} takes one value, not a list`);
    return value;
  };
  switch (op) {
    case '!=':
      return `NOT COALESCE(${compileComparison(selector, '==', value, context, params)}, false)`;
    case '=out=':
      return `NOT COALESCE(${compileComparison(selector, '=in=', value, context, params)}, false)`;
    case '=isnull=': {
      const flag = single();
      if (flag !== 'true' && flag !== 'false') throw invalid(`=isnull= on ${selector} takes true or false`);
      const isNull = flag === 'true';
      return compileFieldPath(selector, context, {
        leaf: () => 'false',
        whole: (json) =>
          isNull ? `(${json} IS NULL OR ${json} = 'null'::jsonb)` : `(${json} IS NOT NULL AND ${json} <> 'null'::jsonb)`,
      });
    }
    case '==': {
      let contained: string | undefined;
      const condition = compileFieldPath(selector, context, {
        leaf: (text, kind, inDocument, inList) => {
          const typed = typedValue(single(), kind, selector);
          const placeholder = params.add(typed);
          if (inList && (kind === 'string' || kind === 'uuid')) contained = params.add(JSON.stringify(inList(typed)));
          if (textEquality(kind, inDocument)) return `${text} = ${placeholder}::text`;
          return `(${text})::${SQL_CAST[kind]} = ${placeholder}::${SQL_CAST[kind]}`;
        },
      });
      // Equal to a text inside a list, a record's document contains that text at that path: a
      // test the document index (GIN) serves, and cheap to make even row by row, where the
      // condition itself reads the list's elements one by one. Kept as well, it stays exact.
      return contained ? `(doc @> ${contained}::jsonb AND ${condition})` : condition;
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compileFieldPath(selector, context, {
        leaf: (text, kind, inDocument) => {
          const placeholder = params.add(typedValue(single(), kind, selector));
          return `(${text})::${SQL_CAST[kind]} ${op} ${placeholder}::${SQL_CAST[kind]}`;
        },
      });
    case '=like=':
      return compileFieldPath(selector, context, {
        leaf: (text, kind) => {
          if (kind !== 'string') throw invalid(`=like= needs a text field; ${selector} is ${kind}`);
          return `${text} ILIKE ${params.add(likePattern(single()))}`;
        },
      });
    case '=in=':
      if (values.length === 0) throw invalid(`=in= on ${selector} needs at least one value`);
      return compileFieldPath(selector, context, {
        leaf: (text, kind, inDocument) => {
          const cast = textEquality(kind, inDocument) ? 'text' : SQL_CAST[kind];
          const list = values.map((v) => `${params.add(typedValue(v, kind, selector))}::${cast}`);
          return `${cast === 'text' ? text : `(${text})::${cast}`} IN (${list.join(', ')})`;
        },
      });
    default:
      throw invalid(`unknown operator ${operator} (on ${selector})`);
  }
}

function compileNode(node: ExpressionNode, context: FieldContext, params: SqlParams): string {
  if (node.type === 'LOGIC') {
    const joiner = node.operator === ';' || node.operator === 'and' ? 'AND' : 'OR';
    return `(${compileNode(node.left, context, params)} ${joiner} ${compileNode(node.right, context, params)})`;
  }
  return compileComparison(node.left.selector, node.operator, node.right.value, context, params);
}

/**
 * Turns a Hydrogen filter (RSQL with Hydrogen's extra operators) into a parameterised SQL
 * condition over an entity table. Values never reach the SQL text.
 */
export function compileFilter(
  filter: string,
  record: FieldContext['record'],
  hidden: Set<string>,
  params: SqlParams,
  columns?: FieldContext['columns'],
): string {
  let ast: ExpressionNode;
  try {
    ast = parse(filter);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  return compileNode(ast, { record, hidden, parameter: 'filter', columns }, params);
}
