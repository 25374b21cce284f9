import type { EntityDeclaration } from './declaration.ts';
import { EntityStore } from './store.ts';

/** Checks the declarations fit together, then builds one store per entity. */
export function buildStores(declarations: EntityDeclaration[]): EntityStore[] {
  const names = new Set<string>();
  for (const declaration of declarations) {
    if (!/^[a-z][a-z0-9_]*$/.test(declaration.name)) throw new Error(`entity name "${declaration.name}" is not snake_case`);
    if (names.has(declaration.name)) throw new Error(`entity "${declaration.name}" is declared twice`);
    names.add(declaration.name);
  }
  for (const declaration of declarations) {
    for (const [path, target] of Object.entries(declaration.references ?? {})) {
      if (!names.has(target)) throw new Error(`${declaration.name}.${path} points at undeclared entity "${target}"`);
    }
  }
  return declarations.map((d) => new EntityStore(d));
}
