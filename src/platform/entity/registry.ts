import { entityPath, type EntityDeclaration } from './declaration.ts';
import type { JsonSchema } from './schemas.ts';
import { EntityStore } from './store.ts';

/** The schema of the field a reference path names, e.g. "clients[].client_id". */
function fieldAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const part of path.split('.')) {
    const isList = part.endsWith('[]');
    current = current?.properties?.[isList ? part.slice(0, -2) : part];
    if (isList) current = current?.type === 'array' ? current.items : undefined;
  }
  return current;
}

/** Checks the declarations fit together, then builds one store per entity. */
export function buildStores(declarations: EntityDeclaration[]): EntityStore[] {
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const declaration of declarations) {
    if (!/^[a-z][a-z0-9_]*$/.test(declaration.name)) throw new Error(`entity name "${declaration.name}" is not snake_case`);
    if (names.has(declaration.name)) throw new Error(`entity "${declaration.name}" is declared twice`);
    names.add(declaration.name);
    const path = entityPath(declaration);
    if (!/^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)*$/.test(path)) throw new Error(`entity path "${path}" is not snake_case segments`);
    if (paths.has(path)) throw new Error(`two entities are served at "${path}"`);
    paths.add(path);
  }
  for (const declaration of declarations) {
    for (const [path, target] of Object.entries(declaration.references ?? {})) {
      if (!names.has(target)) throw new Error(`${declaration.name}.${path} points at undeclared entity "${target}"`);
    }
  }
  const stores = declarations.map((d) => new EntityStore(d));
  const byName = new Map(stores.map((s) => [s.declaration.name, s]));
  for (const store of stores) {
    for (const [path, target] of Object.entries(store.declaration.references ?? {})) {
      if (fieldAt(store.schemas.create, path)?.format !== 'uuid') {
        throw new Error(`${store.declaration.name}.${path} is declared a reference but is not a uuid field`);
      }
      byName.get(target)!.referrers.push({ store, path });
    }
  }
  return stores;
}
