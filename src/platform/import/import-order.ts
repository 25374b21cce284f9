import { ALL_OPERATIONS, type EntityDeclaration } from '../entity/declaration.ts';

export interface ImportStep {
  entity: string;
  /** Entities that must be fully imported first: those its references point at, cycles aside. */
  after: string[];
  /** Its reference paths that close a cycle: what they point at may come after the record. */
  deferred: string[];
}

/**
 * Parents before children, from the references the declarations name. A reference that
 * closes a cycle (a self-reference, or two entities pointing at each other) gives no order:
 * a record is written first without it, and completed by the second pass (record-writer.ts).
 */
export function importOrder(declarations: EntityDeclaration[]): ImportStep[] {
  const listed = declarations.filter((d) => (d.operations ?? ALL_OPERATIONS).includes('list'));
  const byName = new Map(listed.map((d) => [d.name, d]));
  const steps: ImportStep[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (declaration: EntityDeclaration): void => {
    if (placed.has(declaration.name)) return;
    visiting.add(declaration.name);
    const after = new Set<string>();
    const deferred: string[] = [];
    for (const [path, target] of Object.entries(declaration.references ?? {})) {
      const parent = byName.get(target);
      if (!parent) continue;
      if (visiting.has(target)) {
        deferred.push(path);
        continue;
      }
      visit(parent);
      after.add(target);
    }
    visiting.delete(declaration.name);
    placed.add(declaration.name);
    steps.push({ entity: declaration.name, after: [...after], deferred });
  };
  listed.forEach(visit);
  return steps;
}
