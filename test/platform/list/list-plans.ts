import type { Queryable } from '../../../src/platform/db/database.ts';
import type { EntityStore } from '../../../src/platform/entity/store.ts';

/** A node of PostgreSQL's JSON plan; the Actual and Removed counts are there only when the statement was analyzed. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export interface AnalyzedNode extends PlanNode {
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

async function explain(db: Queryable, options: string, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const rows = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${options}FORMAT JSON) ${sql}`, params);
  const raw = rows[0]['QUERY PLAN'];
  const [explained] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return nodesOf(explained.Plan);
}

/** Every node of the statement's plan, the top one first. */
export function planNodes(db: Queryable, sql: string, params: unknown[]): Promise<PlanNode[]> {
  return explain(db, '', sql, params);
}

/** Every node of the plan the statement ran with, with the rows each read. */
export async function analyzedPlanNodes(db: Queryable, sql: string, params: unknown[]): Promise<AnalyzedNode[]> {
  return (await explain(db, 'ANALYZE, ', sql, params)) as AnalyzedNode[];
}

/** The first page of 25 of a list by update_date, with the statements the store ran for it, each with the parameters it was given. */
export async function listStatements(db: Queryable, store: EntityStore, tenantId: string, filter?: string, ascending = false) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const recording: Queryable = {
    query: (sql, params) => {
      statements.push({ sql, params: [...(params ?? [])] });
      return db.query(sql, params);
    },
  };
  const page = await store.list(recording, tenantId, { page: 0, size: 25, order_by: 'update_date', ascending, ...(filter ? { filter } : {}) });
  return { page, statements };
}
