import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { typedRoutes } from '../../platform/http/typed-routes.ts';
import { accountCategories } from './account-category.ts';
import { categoryRoute } from './category-mapping.ts';
import { countryRoute } from './country.ts';
import { currencyRoute } from './currency.ts';
import { fxRateRoutes } from './fx-rate.ts';
import { merchantCategoryCodeRoute } from './merchant-category-code.ts';
import { merchantRoute } from './merchant.ts';
import { stateRoute } from './state.ts';
import { statisticRoute } from './statistic.ts';
import { transactionCategories } from './transaction-category.ts';

export interface ResourceRoutesOptions {
  db: Database;
  maxPageSize: number;
}

/**
 * /nucleus/v1/resource/*: reference data, and the tenant's exchange rates. Institutions,
 * the one resource with full CRUD, are a declared entity (institution.entity.ts).
 */
export const resourceRoutes: FastifyPluginAsync<ResourceRoutesOptions> = async (app, { db, maxPageSize }) => {
  const routes = typedRoutes(app);
  countryRoute(app);
  stateRoute(routes);
  currencyRoute(app);
  fxRateRoutes(routes, db);
  merchantRoute(routes, db, maxPageSize);
  merchantCategoryCodeRoute(routes, db);
  statisticRoute(app);
  categoryRoute(routes, db, accountCategories, {
    path: '/resource/account_category',
    operationId: 'getAccountResultForMapping',
    summary: 'Account categories and vendor mappings',
    description: 'Kinds of accounts (bank account, credit card, loan, investment, ...), each with a stable id.',
  });
  categoryRoute(routes, db, transactionCategories, {
    path: '/resource/transaction_category',
    operationId: 'getTransactionResultForMapping',
    summary: 'Transaction categories and vendor mappings',
    description: 'Categories of spending and income, each with a stable id that transactions and merchant category codes refer to.',
  });
};
