import type { TObject } from 'typebox';
import type { Queryable } from '../../platform/db/database.ts';
import { plain, type JsonSchema } from '../../platform/entity/schemas.ts';
import { compileFilter, SqlParams } from '../../platform/list/filter.ts';

export interface FxRate {
  currency_code_from: string;
  currency_code_to: string;
  /** ISO 8601, UTC. */
  date: string;
  exchange_rate: number;
}

interface Row {
  currency_code_from: string;
  currency_code_to: string;
  date: Date | string;
  exchange_rate: string;
}

const KEY_COLUMNS = 'tenant_id, currency_code_from, currency_code_to, date';

/**
 * Stores rates; a rate for a pair and moment already stored replaces it (a correction). A
 * number reaches the database as the shortest decimal text that reads back as the same
 * number, so what is stored in numeric is the decimal the client wrote.
 */
export async function saveFxRates(db: Queryable, tenantId: string, rates: FxRate[]): Promise<void> {
  // Within one request the last rate for a key wins; one INSERT cannot touch a row twice.
  const byKey = new Map(rates.map((r) => [`${r.currency_code_from} ${r.currency_code_to} ${r.date}`, r]));
  const params = new SqlParams([tenantId, new Date().toISOString()]);
  const values = [...byKey.values()].map(
    (r) =>
      `($1, ${params.add(r.currency_code_from)}, ${params.add(r.currency_code_to)}, ${params.add(r.date)}::timestamptz, ` +
      `${params.add(String(r.exchange_rate))}::numeric, $2::timestamptz, $2::timestamptz)`,
  );
  await db.query(
    `INSERT INTO fx_rate (${KEY_COLUMNS}, exchange_rate, create_date, update_date)
     VALUES ${values.join(', ')}
     ON CONFLICT (${KEY_COLUMNS}) DO UPDATE SET exchange_rate = EXCLUDED.exchange_rate, update_date = EXCLUDED.update_date`,
    params.values,
  );
}

/**
 * The latest rate of each pair among the tenant's rates that match the filter, ordered by
 * pair. The filter applies before "latest" is chosen, so date=le=2024-01-31 gives the rates
 * in force at the end of that day. Rows are given the shape of entity rows (a doc, an id
 * column) so the entity lists' filter compiler applies unchanged.
 */
export async function latestFxRates(db: Queryable, tenantId: string, view: TObject, filter?: string): Promise<FxRate[]> {
  const params = new SqlParams([tenantId]);
  const where = filter ? compileFilter(filter, plain(view) as unknown as JsonSchema, new Set(), params) : 'true';
  const rows = await db.query<Row>(
    `SELECT DISTINCT ON (currency_code_from, currency_code_to)
            currency_code_from, currency_code_to, date, exchange_rate::text AS exchange_rate
     FROM (
       SELECT f.*, NULL::uuid AS id,
              jsonb_build_object('currency_code_from', currency_code_from, 'currency_code_to', currency_code_to,
                                 'date', date, 'exchange_rate', exchange_rate) AS doc
       FROM fx_rate f WHERE tenant_id = $1
     ) AS t
     WHERE ${where}
     ORDER BY currency_code_from, currency_code_to, date DESC`,
    params.values,
  );
  return rows.map((r) => ({
    currency_code_from: r.currency_code_from,
    currency_code_to: r.currency_code_to,
    date: new Date(r.date).toISOString(),
    exchange_rate: Number(r.exchange_rate),
  }));
}
