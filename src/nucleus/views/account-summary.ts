import { Type } from 'typebox';
import type { EntityName, EntityRecord } from '../../platform/entity/entity-records.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { latestValues, totalsByCurrency, type CurrencyTotal, type LatestValue } from './latest-values.ts';
import { cents } from '../../platform/money/money.ts';
import { ownedPortfolio } from './ownership.ts';

export const CurrencyTotalVO = Type.Object(
  {
    currency_code: Type.Optional(Type.String({ description: 'Absent for values recorded without a currency' })),
    value: Type.Number({ description: 'Sum of the latest values in this currency, rounded to the cent' }),
    date: Type.String({ format: 'date', description: 'The latest date among the values summed' }),
  },
  { title: 'CurrencyTotal', additionalProperties: false },
);

export function totalsVO(totals: CurrencyTotal[]) {
  return totals.map((t) => ({ ...(t.currency ? { currency_code: t.currency } : {}), value: cents(t.value), date: t.day }));
}

const uuid = () => Type.String({ format: 'uuid' });
const optionalString = () => Type.Optional(Type.String());

const PortfolioSummaryVO = Type.Object(
  {
    portfolio_id: uuid(),
    portfolio_name: Type.String(),
    model_id: Type.Optional(uuid()),
    percentage: Type.Number(),
    is_subledger: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean()),
    currency_code: optionalString(),
    create_date: Type.String({ format: 'date-time' }),
    update_date: Type.String({ format: 'date-time' }),
    asset_size: Type.Optional(Type.Number({ description: 'Latest recorded value, rounded to the cent' })),
    asset_size_available: Type.Optional(Type.Number()),
    asset_size_date: Type.Optional(Type.String({ format: 'date' })),
  },
  { title: 'PortfolioSummary', additionalProperties: false },
);

export const AccountSummaryVO = Type.Object(
  {
    account_id: uuid(),
    account_name: Type.String(),
    account_number: optionalString(),
    account_type_id: uuid(),
    account_type_name: optionalString(),
    currency_code: optionalString(),
    status: optionalString(),
    is_active: Type.Optional(Type.Boolean()),
    create_date: Type.String({ format: 'date-time' }),
    update_date: Type.String({ format: 'date-time' }),
    clients: Type.Array(
      Type.Object(
        { client_id: uuid(), client_account_association_type: Type.String(), first_name: optionalString(), last_name: optionalString() },
        { additionalProperties: false },
      ),
    ),
    goals: Type.Array(Type.Object({ goal_id: uuid(), goal_name: optionalString(), goal_amount: Type.Optional(Type.Number()) }, { additionalProperties: false })),
    allocations: Type.Array(
      Type.Object(
        { allocation_id: uuid(), allocation_name: optionalString(), current_weight: Type.Number(), strategic_weight: Type.Number(), date: Type.String({ format: 'date' }) },
        { additionalProperties: false },
      ),
      { description: 'The allocations the account subscribes to (the latest account_allocation of each)' },
    ),
    totals: Type.Array(CurrencyTotalVO, { description: "The portfolios' latest values, added up per currency" }),
    portfolios: Type.Array(PortfolioSummaryVO),
  },
  { title: 'AccountSummary', additionalProperties: false },
);

function portfolioSummary(portfolio: EntityRecord<'portfolio'>, latest: LatestValue | undefined) {
  return {
    portfolio_id: portfolio.id,
    portfolio_name: portfolio.name,
    model_id: portfolio.model_id,
    percentage: portfolio.percentage,
    is_subledger: portfolio.is_subledger,
    is_active: portfolio.is_active,
    currency_code: latest?.currency ?? portfolio.currency_code,
    create_date: portfolio.create_date,
    update_date: portfolio.update_date,
    ...(latest
      ? { asset_size: cents(latest.value), asset_size_date: latest.day, ...(latest.available ? { asset_size_available: cents(latest.available) } : {}) }
      : {}),
  };
}

/**
 * What a dashboard shows of each account: who holds it, what it serves, and its portfolios'
 * latest values; with those values, for totals over several accounts.
 */
export async function accountSummaries(
  reader: EntityReader,
  accounts: EntityRecord<'account'>[],
  orderPortfolios: (portfolios: EntityRecord<'portfolio'>[]) => EntityRecord<'portfolio'>[],
) {
  const accountIds = accounts.map((a) => a.id);
  const ofAccounts = { account_id: { in: accountIds } };
  const portfolios = accountIds.length === 0 ? [] : await reader.records('portfolio', { where: ofAccounts, order: (f) => `${f.column('create_date')}, ${f.column('id')}` });
  const values = await latestValues(reader, portfolios.map((p) => ownedPortfolio(p.id, p)));
  const clientIds = accounts.flatMap((a) => (a.clients ?? []).map((c) => c.client_id));
  const goalIds = accounts.flatMap((a) => (a.goals ?? []).map((g) => g.goal_id));
  const docsOf = async <N extends EntityName>(entity: N, ids: string[]) => new Map((await reader.byIds(entity, [...new Set(ids)])).map((r) => [r.id, r.doc]));
  const types = await docsOf('account_type', accounts.map((a) => a.account_type_id));
  const clients = await docsOf('client', clientIds);
  const goals = await docsOf('goal', goalIds);
  const subscriptions = accountIds.length === 0 ? [] : await reader.records('account_allocation', { where: ofAccounts, order: (f) => `${f.value('date')}, ${f.column('create_date')}` });
  const latestSubscription = new Map(subscriptions.map((s) => [`${s.account_id} ${s.allocation_id}`, s]));
  const allocations = await docsOf('allocation', subscriptions.map((s) => s.allocation_id));

  return accounts.map((account) => {
    const own = portfolios.filter((p) => p.account_id === account.id);
    const latest = own.flatMap((p) => (values.has(p.id) ? [values.get(p.id)!] : []));
    const summary = {
      account_id: account.id,
      account_name: account.name,
      account_number: account.account_number,
      account_type_id: account.account_type_id,
      account_type_name: types.get(account.account_type_id)?.name,
      currency_code: account.currency_code,
      status: account.status,
      is_active: account.is_active,
      create_date: account.create_date,
      update_date: account.update_date,
      clients: (account.clients ?? []).map((c) => ({
        client_id: c.client_id,
        client_account_association_type: c.client_account_association_type,
        first_name: clients.get(c.client_id)?.first_name,
        last_name: clients.get(c.client_id)?.last_name,
      })),
      goals: (account.goals ?? []).map((g) => ({
        goal_id: g.goal_id,
        goal_name: goals.get(g.goal_id)?.name,
        goal_amount: goals.get(g.goal_id)?.goal_amount,
      })),
      allocations: [...latestSubscription.values()]
        .filter((s) => s.account_id === account.id)
        .map((s) => ({
          allocation_id: s.allocation_id,
          allocation_name: allocations.get(s.allocation_id)?.name,
          current_weight: s.current_weight,
          strategic_weight: s.strategic_weight,
          date: s.date,
        })),
      totals: totalsVO(totalsByCurrency(latest)),
      portfolios: orderPortfolios(own).map((p) => portfolioSummary(p, values.get(p.id))),
    };
    return { summary, latest };
  });
}
