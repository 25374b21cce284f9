import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import type { JsonSchema } from '../../platform/entity/schemas.ts';
import type { EntityRecord } from '../../platform/entity/entity-records.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { accountSummaries, AccountSummaryVO, CurrencyTotalVO, totalsVO } from './account-summary.ts';
import { latestValues, totalsByCurrency, type LatestValue } from './latest-values.ts';
import { cents, decimalOf, HUNDRED, rounded } from '../../platform/money/money.ts';
import { ordered } from './ordering.ts';
import { listsAnyClient, ownedPortfolio, portfoliosOf } from './ownership.ts';
import { defaulted } from '../../platform/http/typebox-schemas.ts';
import { param, query } from './params.ts';
import type { ViewRoutesOptions } from './routes.ts';

const uuid = () => Type.String({ format: 'uuid' });
const optionalString = () => Type.Optional(Type.String());
const orderParams = (what: string) => ({
  order_by: defaulted(Type.String({ default: 'update_date', description: `Field of the ${what} records to order them by` })),
  ascending: defaulted(Type.Boolean({ default: false })),
});

function clientAccounts(reader: EntityReader, clientId: string): Promise<EntityRecord<'account'>[]> {
  return reader.records('account', { and: listsAnyClient([clientId]), order: (f) => `${f.column('create_date')}, ${f.column('id')}` });
}

/** The one total when every value is in one currency; nothing when they mix, as no rate is asked for. */
function singleTotal(values: LatestValue[]) {
  const totals = totalsByCurrency(values);
  return totals.length === 1 ? totals[0] : undefined;
}

const ClientGoalOverview = Type.Object(
  {
    client_id: uuid(),
    client_first_name: optionalString(),
    client_last_name: optionalString(),
    client_asset_size: Type.Optional(Type.Number({ description: "Latest value of all the client's portfolios; absent when their currencies differ" })),
    client_asset_size_date: Type.Optional(Type.String({ format: 'date' })),
    client_view_goal_data: Type.Array(
      Type.Object(
        {
          goal_id: uuid(),
          goal_name: Type.String(),
          goal_category: optionalString(),
          goal_type: optionalString(),
          goal_amount: Type.Optional(Type.Number()),
          accumulation_horizon: Type.Optional(Type.Number()),
          decumulation_horizon: Type.Optional(Type.Number()),
          is_decumulation: Type.Optional(Type.Boolean()),
          goal_create_date: Type.String({ format: 'date-time' }),
          goal_update_date: Type.String({ format: 'date-time' }),
          goal_asset_size_by_goal: Type.Optional(Type.Number({ description: 'Latest value of the portfolios serving the goal (at their weight with portfolio_goal)' })),
          goal_asset_size_by_goal_date: Type.Optional(Type.String({ format: 'date' })),
          goal_progress: Type.Optional(Type.Number({ description: 'goal_asset_size_by_goal as a percent of goal_amount' })),
          accounts: Type.Array(
            Type.Object(
              {
                account_id: uuid(),
                account_name: Type.String(),
                account_type_id: uuid(),
                account_type_name: optionalString(),
                goal_asset_size_by_account: Type.Optional(Type.Number()),
                goal_asset_size_by_account_date: Type.Optional(Type.String({ format: 'date' })),
              },
              { title: 'VAccountVO', additionalProperties: false },
            ),
          ),
          portfolios: Type.Array(
            Type.Object(
              {
                portfolio_id: uuid(),
                portfolio_name: Type.String(),
                goal_asset_size_by_portfolio: Type.Optional(Type.Number()),
                goal_asset_size_by_portfolio_date: Type.Optional(Type.String({ format: 'date' })),
              },
              { title: 'VPortfolioVO', additionalProperties: false },
            ),
          ),
        },
        { title: 'ClientViewGoalData', additionalProperties: false },
      ),
    ),
  },
  { title: 'VClientGoalViewData', additionalProperties: false },
);

async function goalOverview(reader: EntityReader, clientId: string, portfolioGoal: boolean) {
  const client = await reader.get('client', clientId);
  const accounts = await clientAccounts(reader, clientId);
  const clientTotal = singleTotal([...(await latestValues(reader, await portfoliosOf(reader, { kind: 'client', id: clientId }))).values()]);
  const referenced = accounts.flatMap((a) => (a.goals ?? []).map((g) => g.goal_id));
  const goals = await reader.records('goal', {
    and: (f, p) => `${f.text('client_id')} = ${p.add(clientId)} OR ${f.column('id')} = ANY(${p.add(referenced)}::uuid[])`,
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
  const types = new Map((await reader.byIds('account_type', accounts.map((a) => a.account_type_id))).map((t) => [t.id, t.doc]));

  const data = [];
  for (const goal of goals) {
    const accountPortfolios = await portfoliosOf(reader, { kind: 'goal', id: goal.id, clientId, portfolioGoal: false });
    const accountValues = await latestValues(reader, accountPortfolios);
    const portfolios = portfolioGoal ? await portfoliosOf(reader, { kind: 'goal', id: goal.id, clientId, portfolioGoal }) : accountPortfolios;
    const values = portfolioGoal ? await latestValues(reader, portfolios) : accountValues;
    const goalAccounts = accounts.filter((a) => (a.goals ?? []).some((g) => g.goal_id === goal.id));
    const total = singleTotal([...values.values()]);
    const target = decimalOf(goal.goal_amount);
    data.push({
      goal_id: goal.id,
      goal_name: goal.name,
      goal_category: goal.category,
      goal_type: goal.type,
      goal_amount: goal.goal_amount,
      accumulation_horizon: goal.accumulation_horizon,
      decumulation_horizon: goal.decumulation_horizon,
      is_decumulation: goal.is_decumulation,
      goal_create_date: goal.create_date,
      goal_update_date: goal.update_date,
      ...(total ? { goal_asset_size_by_goal: cents(total.value), goal_asset_size_by_goal_date: total.day } : {}),
      ...(total && target && !target.isZero() ? { goal_progress: rounded(total.value.div(target).times(HUNDRED), 2) } : {}),
      accounts: goalAccounts.map((account) => {
        const accountTotal = singleTotal(accountPortfolios.filter((p) => p.accountId === account.id && accountValues.has(p.id)).map((p) => accountValues.get(p.id)!));
        return {
          account_id: account.id,
          account_name: account.name,
          account_type_id: account.account_type_id,
          account_type_name: types.get(account.account_type_id)?.name,
          ...(accountTotal ? { goal_asset_size_by_account: cents(accountTotal.value), goal_asset_size_by_account_date: accountTotal.day } : {}),
        };
      }),
      portfolios: portfolios.map((p) => {
        const value = values.get(p.id);
        return {
          portfolio_id: p.id,
          portfolio_name: p.doc.name,
          ...(value ? { goal_asset_size_by_portfolio: cents(value.value), goal_asset_size_by_portfolio_date: value.day } : {}),
        };
      }),
    });
  }
  return {
    client_id: client.id,
    client_first_name: client.first_name,
    client_last_name: client.last_name,
    ...(clientTotal ? { client_asset_size: cents(clientTotal.value), client_asset_size_date: clientTotal.day } : {}),
    client_view_goal_data: data,
  };
}

const AdvisorOverview = Type.Object(
  {
    client_id: uuid(),
    first_name: optionalString(),
    last_name: optionalString(),
    account_count: Type.Integer({ description: 'Accounts on which the advisor is listed' }),
    client_count: Type.Integer({ description: 'Other clients listed on those accounts' }),
    totals: Type.Array(CurrencyTotalVO, { description: "Latest value of those accounts' portfolios, per currency" }),
    clients: Type.Optional(
      Type.Array(
        Type.Object(
          {
            client_id: uuid(),
            first_name: optionalString(),
            last_name: optionalString(),
            account_count: Type.Integer(),
            totals: Type.Array(CurrencyTotalVO),
          },
          { additionalProperties: false },
        ),
        { description: 'With show_clients: each advised client with the shared accounts and their value' },
      ),
    ),
  },
  { title: 'AdvisorOverview', additionalProperties: false },
);

async function advisorOverview(reader: EntityReader, advisorId: string, showClients: boolean) {
  const advisor = await reader.get('client', advisorId);
  const accounts = await clientAccounts(reader, advisorId);
  const portfolios = await reader.records('portfolio', { where: { account_id: { in: accounts.map((a) => a.id) } } });
  const values = await latestValues(reader, portfolios.map((p) => ownedPortfolio(p.id, p)));
  const valuesOf = (accountIds: Set<string>) => portfolios.filter((p) => accountIds.has(p.account_id) && values.has(p.id)).map((p) => values.get(p.id)!);
  const accountsByClient = new Map<string, Set<string>>();
  for (const account of accounts) {
    for (const { client_id } of account.clients ?? []) {
      if (client_id === advisorId) continue;
      if (!accountsByClient.has(client_id)) accountsByClient.set(client_id, new Set());
      accountsByClient.get(client_id)!.add(account.id);
    }
  }
  const overview = {
    client_id: advisor.id,
    first_name: advisor.first_name,
    last_name: advisor.last_name,
    account_count: accounts.length,
    client_count: accountsByClient.size,
    totals: totalsVO(totalsByCurrency(valuesOf(new Set(accounts.map((a) => a.id))))),
  };
  if (!showClients) return overview;
  const clients = new Map((await reader.byIds('client', [...accountsByClient.keys()])).map((c) => [c.id, c.doc]));
  return {
    ...overview,
    clients: [...accountsByClient].map(([clientId, accountIds]) => ({
      client_id: clientId,
      first_name: clients.get(clientId)?.first_name,
      last_name: clients.get(clientId)?.last_name,
      account_count: accountIds.size,
      totals: totalsVO(totalsByCurrency(valuesOf(accountIds))),
    })),
  };
}

/** The overviews of accounts, clients, advisors and goals. */
export function overviewRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const schemaOf = (entity: string) => options.stores.get(entity)!.schemas.record as JsonSchema;

  app.get('/account/:account_id/account_overview', {
    schema: {
      tags: ['Account'],
      summary: 'An account as a dashboard shows it',
      description:
        'The account with its type, clients, goals and allocations, the latest value of each portfolio and their totals per currency. ' +
        'order_by and ascending order the portfolios by one of their fields.',
      operationId: 'get_account_overview',
      params: Type.Object({ account_id: uuid() }),
      querystring: query(orderParams('portfolio')),
      response: { 200: AccountSummaryVO, ...errorResponses },
    },
    handler: async (request) => {
      const q = request.query;
      const reader = EntityReader.asCaller(options, request.auth);
      const account = await reader.get('account', request.params.account_id);
      const [{ summary }] = await accountSummaries(reader, [account], (portfolios) =>
        ordered(portfolios.map((record) => ({ record })), schemaOf('portfolio'), q.order_by, q.ascending).map((p) => p.record),
      );
      return summary;
    },
  });

  app.get('/client/:client_id/account_overview', {
    schema: {
      tags: ['Client'],
      summary: "A client's accounts as a dashboard shows them",
      description:
        'Every account listing the client, each as in the account overview, and the latest value of all of them per currency. ' +
        'order_by and ascending order the accounts by one of their fields.',
      operationId: 'get_client_account_overview',
      params: Type.Object({ client_id: uuid() }),
      querystring: query(orderParams('account')),
      response: {
        200: Type.Object(
          {
            client_id: uuid(),
            first_name: optionalString(),
            last_name: optionalString(),
            username: optionalString(),
            totals: Type.Array(CurrencyTotalVO),
            accounts: Type.Array(AccountSummaryVO),
          },
          { title: 'ClientAccountOverview', additionalProperties: false },
        ),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const q = request.query;
      const reader = EntityReader.asCaller(options, request.auth);
      const client = await reader.get('client', request.params.client_id);
      const accounts = ordered((await clientAccounts(reader, client.id)).map((record) => ({ record })), schemaOf('account'), q.order_by, q.ascending);
      const summaries = await accountSummaries(reader, accounts.map((a) => a.record), (portfolios) => portfolios);
      return {
        client_id: client.id,
        first_name: client.first_name,
        last_name: client.last_name,
        username: client.username,
        totals: totalsVO(totalsByCurrency(summaries.flatMap((s) => s.latest))),
        accounts: summaries.map((s) => s.summary),
      };
    },
  });

  app.get('/client/:client_id/advisor_overview', {
    schema: {
      tags: ['Client'],
      summary: "An advisor's book",
      description:
        'For a client acting as advisor: the accounts it is listed on, the other clients listed on them, and their latest value per currency; ' +
        'with show_clients, the same for each of those clients.',
      operationId: 'get_client_advisor_overview',
      params: Type.Object({ client_id: uuid() }),
      querystring: query({ show_clients: defaulted(Type.Boolean({ default: false, description: 'List each advised client' })) }),
      response: { 200: AdvisorOverview, ...errorResponses },
    },
    handler: async (request) =>
      advisorOverview(EntityReader.asCaller(options, request.auth), request.params.client_id, request.query.show_clients),
  });

  app.get('/client/:client_id/goal_overview', {
    schema: {
      tags: ['Client'],
      summary: "A client's goals and their progress",
      description:
        "Each goal of the client (its own, and those its accounts serve) with the accounts and portfolios serving it, their latest values and " +
        'the progress against goal_amount. With portfolio_goal, portfolios are found through portfolio_goal records and count at their weight. ' +
        'Totals are left out when the values are in different currencies.',
      operationId: 'get_client_goal_overview',
      params: Type.Object({ client_id: uuid() }),
      querystring: query({ portfolio_goal: param.portfolio_goal }),
      response: { 200: ClientGoalOverview, ...errorResponses },
    },
    handler: async (request) =>
      goalOverview(EntityReader.asCaller(options, request.auth), request.params.client_id, request.query.portfolio_goal),
  });
}
