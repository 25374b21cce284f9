import { Type, type Static, type TObject } from 'typebox';
import type { Database } from '../../platform/db/database.ts';
import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { defaulted } from '../../platform/http/typebox-schemas.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { StaticRows } from './static-rows.ts';

/**
 * A category data file: the categories (a primary one has no subcategory) and, per vendor,
 * "vendor_category" or "vendor_category/vendor_subcategory" keys pointing at
 * "Category" or "Category/Subcategory".
 */
export interface CategoryFile<C> {
  categories: C[];
  vendors: Record<string, Record<string, string>>;
}

type Category = { category: string; subcategory?: string };
type Mapped<C> = C & { vendor_name: string; vendor_category: string; vendor_subcategory?: string };

/** A category taxonomy with the vendors' categories mapped onto it. */
export class CategoryMapping<C extends Category> {
  private readonly taxonomy: StaticRows<C>;
  private readonly vendors: Map<string, StaticRows<Mapped<C>>>;
  private readonly byPath: Map<string, C>;

  constructor(
    file: CategoryFile<C>,
    /** The id field, also the query parameter that selects one category. */
    readonly idField: keyof C & string,
    readonly schema: TObject,
  ) {
    this.byPath = new Map(file.categories.map((c) => [pathOf(c), c]));
    this.taxonomy = new StaticRows(file.categories, schema);
    this.vendors = new Map(
      Object.entries(file.vendors).map(([vendor, mapping]) => {
        const rows = Object.entries(mapping).map(([key, target]): Mapped<C> => {
          const [vendor_category, vendor_subcategory] = key.split('/');
          return { ...this.find(target), vendor_name: vendor, vendor_category, ...(vendor_subcategory ? { vendor_subcategory } : {}) };
        });
        return [vendor, new StaticRows(rows, schema)];
      }),
    );
  }

  get vendorNames(): string[] {
    return [...this.vendors.keys()];
  }

  /** The category at "Category" or "Category/Subcategory"; a data file naming another is a bug. */
  find(path: string): C {
    const category = this.byPath.get(path);
    if (!category) throw new Error(`reference data names an unknown category "${path}"`);
    return category;
  }

  /**
   * The taxonomy, or one vendor's mappings; match_primary keeps the primary level only (the
   * vendor's primary categories when a vendor is named).
   */
  async list(db: Database, query: CategoryQuery): Promise<C[]> {
    const vendor = query.vendor_name;
    const source = vendor ? this.vendors.get(vendor)! : this.taxonomy;
    const rows: C[] = await source.select(db, { filter: query.filter });
    const selected = query[this.idField];
    const id = typeof selected === 'string' ? selected.toLowerCase() : undefined;
    return rows.filter(
      (row) =>
        (!query.match_primary || !(vendor ? (row as Mapped<C>).vendor_subcategory : row.subcategory)) &&
        (id === undefined || row[this.idField] === id),
    );
  }
}

function pathOf(category: Category): string {
  return category.subcategory ? `${category.category}/${category.subcategory}` : category.category;
}

export interface CategoryRouteOptions {
  path: string;
  operationId: string;
  summary: string;
  description: string;
}

function categoryQueryProperties(vendorNames: string[]) {
  return {
    filter: Type.Optional(Type.String({ maxLength: 4000, description: 'RSQL filter over the returned fields, e.g. category==Travel' })),
    match_primary: defaulted(Type.Boolean({ default: false, description: 'Only primary categories (or vendor primary categories)' })),
    tenant_name: Type.Optional(Type.String({ description: 'Accepted for compatibility; the mappings are the same for every tenant' })),
    vendor_name: Type.Optional(Type.String({ enum: vendorNames, description: 'Map this vendor’s categories' })),
  };
}

/**
 * The query of a category route. Its id parameter is named after the mapping's id field, a key
 * TypeScript knows only as a string, so it is read by name, as any other parameter beyond these.
 */
export type CategoryQuery = Static<TObject<ReturnType<typeof categoryQueryProperties>>> & { [parameter: string]: unknown };

/** GET of a category resource, with the query parameters Hydrogen's specification lists for it. */
export function categoryRoute<C extends Category>(app: TypedRoutes, db: Database, mapping: CategoryMapping<C>, options: CategoryRouteOptions): void {
  const { filter, ...rest } = categoryQueryProperties(mapping.vendorNames);
  // A key computed at run time would make TypeBox type every parameter as the union of them all.
  // The id comes second, where the documented parameters have always listed it.
  const query = Type.Unsafe<CategoryQuery>(
    Type.Object(
      { filter, [mapping.idField]: Type.Optional(Type.String({ format: 'uuid', description: 'Only this category' })), ...rest },
      { additionalProperties: true },
    ),
  );
  app.get(options.path, {
    schema: {
      tags: ['Resource'],
      summary: options.summary,
      description:
        `${options.description} Without vendor_name the answer is the taxonomy itself; with it, one row per vendor category ` +
        'carrying the category it maps to. match_primary=true keeps primary categories only. filter (RSQL) applies to the rows returned.',
      operationId: options.operationId,
      querystring: query,
      response: { 200: Type.Array(mapping.schema), ...errorResponses },
    },
    handler: async (request) => mapping.list(db, request.query),
  });
}
