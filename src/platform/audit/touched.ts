import type { EntityDeclaration } from '../entity/declaration.ts';
import { referencedIds, type StoredRecord } from '../entity/store.ts';

/** The entities an audit record names, and the AuditLog field that lists their ids. */
const TOUCHED_FIELDS: Record<string, string> = {
  client: 'client_ids',
  account: 'account_ids',
  portfolio: 'portfolio_ids',
  goal: 'goal_ids',
  model: 'model_ids',
  security: 'security_ids',
  allocation: 'allocation_ids',
  aggregation_account: 'aggregation_account_ids',
};

/**
 * The ids of the records a write touched: the record itself when it is one of those
 * entities, and whatever its declared reference fields point at. Fields with no id are left out.
 */
export function touchedIds(declaration: EntityDeclaration, records: StoredRecord[]): Record<string, string[]> {
  const found = new Map<string, Set<string>>();
  const add = (entity: string, id: string): void => {
    const field = TOUCHED_FIELDS[entity];
    if (!field) return;
    const ids = found.get(field) ?? new Set<string>();
    ids.add(id);
    found.set(field, ids);
  };
  for (const record of records) {
    add(declaration.name, record.id);
    for (const [path, target] of Object.entries(declaration.references ?? {})) {
      for (const { id } of referencedIds(record, path)) add(target, id);
    }
  }
  return Object.fromEntries([...found].map(([field, ids]) => [field, [...ids]]));
}
