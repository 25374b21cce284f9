import type { Static } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { converterFor } from '../../platform/money/fx.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { Decimal, cents } from '../money.ts';
import { controlsOfHolder, holderPortfolios } from './card-spends.ts';
import { holderSpending } from './holder-spending.ts';
import { addDays } from '../calendar.ts';
import { limitUse, type SpendingControl } from './spending-rules.ts';
import { toControlCurrency } from './control-currency.ts';
import type { CardLimitCheckRequest, CardLimitCheckResponse } from './limit-check.schema.ts';

type Body = Static<typeof CardLimitCheckRequest>;
type Answer = Static<typeof CardLimitCheckResponse>;

async function databaseNow(tx: Queryable): Promise<string> {
  const [row] = await tx.query<{ now: Date }>('SELECT now()');
  return row.now.toISOString();
}

const isLimit = (c: SpendingControl) => c.type === 'spending_limit' || c.type === 'transaction_limit';

/**
 * The client's limits as card_authorization counts them at as_of_date (the database's clock
 * when absent, so that every server counts the same day), read in one transaction so that
 * every row comes from the same snapshot.
 */
export async function checkCardLimits(nucleus: NucleusAccess, auth: AuthContext, body: Body): Promise<Answer> {
  return nucleus.db.transaction(async (tx) => {
    const asOf = body.as_of_date ? new Date(body.as_of_date).toISOString() : await databaseNow(tx);
    const day = asOf.slice(0, 10);
    const reader = EntityReader.tenantWide({ db: tx, stores: nucleus.stores }, auth.tenantId);
    const controls = (await controlsOfHolder(reader, body.client_id)).filter(isLimit);
    const portfolios = await holderPortfolios(reader, body.client_id);
    const spending = { tenantId: auth.tenantId, portfolios, day, statuses: body.transaction_status_scope, controls, currency: body.currency_code };
    const earlier = await holderSpending(tx, spending);
    const toControl = await toControlCurrency(reader, controls, earlier, body.currency_code, day, 'currency_code');
    const report = await converterFor(reader, body.currency_code, controls.map((c) => c.currency), day);
    const money = (value: number, control: SpendingControl) => {
      const converted = report.convert(new Decimal(value).div(100), control.currency, day);
      return cents(converted);
    };
    const limits = controls.map((control) => {
      const limit = control.limit ?? 0;
      const use = control.unit === 'one_time' ? { window: null, used: 0, remaining: limit } : limitUse(control, day, earlier.map((e) => toControl(e, control)));
      const amount = control.type === 'spending_limit';
      return {
        spending_control_id: control.id,
        control_type: control.type as 'spending_limit' | 'transaction_limit',
        control_scope: control.scope,
        control_values: control.values,
        frequency_unit: control.unit ?? '',
        frequency: control.frequency,
        window_start: use.window?.start ?? null,
        window_end: use.window ? addDays(use.window.end, -1) : null,
        limit_value: amount ? money(limit, control) : limit,
        used: amount ? money(use.used, control) : use.used,
        remaining: amount ? money(use.remaining, control) : use.remaining,
        is_exceeded: use.remaining <= 0,
      };
    });
    return { client_id: body.client_id, currency_code: body.currency_code, as_of_date: asOf, limits };
  });
}
