import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import type { EntityStore } from '../../platform/entity/store.ts';
import { typedRoutes } from '../../platform/http/typed-routes.ts';
import type { AccessControl } from '../../platform/acl/access-control.ts';
import type { EntityWriter } from '../../platform/entity/writer.ts';
import { assetSizeRoutes } from './asset-size.routes.ts';
import { aggregateDataRoutes } from './aggregate-data.routes.ts';
import { aggregationOverviewRoutes } from './aggregation-overview.routes.ts';
import { cardholderOverviewRoutes } from './cardholder-overview.routes.ts';
import { decisionTreeRoutes } from './decision-tree.routes.ts';
import { holdingRoutes } from './holding.routes.ts';
import { orderRoutes } from './order.routes.ts';
import { modelChangeRoutes } from './model-change.routes.ts';
import { orderBulkRoutes } from './order-bulk.routes.ts';
import { orderReconciliationRoutes } from './order-reconciliation.routes.ts';
import { overflowRoundupRoutes } from './overflow-roundup.routes.ts';
import { overviewRoutes } from './overview.routes.ts';
import { subscribeRoutes } from './subscribe.routes.ts';
import { transactionRoutes } from './transaction.routes.ts';

export interface ViewRoutesOptions {
  db: Database;
  stores: ReadonlyMap<string, EntityStore>;
  /** Row-level access rules, applied to every read a view makes. */
  acl: AccessControl;
  /** The one write path, for the operations that store what they compute (orders, portfolios). */
  writer: EntityWriter;
  maxPageSize: number;
}

/** The Nucleus operations that compute over stored records rather than store one. */
export const viewRoutes: FastifyPluginAsync<Omit<ViewRoutesOptions, 'stores'> & { stores: EntityStore[] }> = async (fastify, options) => {
  const resolved: ViewRoutesOptions = { ...options, stores: new Map(options.stores.map((s) => [s.declaration.name, s])) };
  const app = typedRoutes(fastify);
  assetSizeRoutes(app, resolved);
  holdingRoutes(app, resolved);
  transactionRoutes(app, resolved);
  aggregateDataRoutes(app, resolved);
  overviewRoutes(app, resolved);
  aggregationOverviewRoutes(app, resolved);
  cardholderOverviewRoutes(app, resolved);
  orderRoutes(app, resolved);
  orderBulkRoutes(app, resolved);
  overflowRoundupRoutes(app, resolved);
  orderReconciliationRoutes(app, resolved);
  modelChangeRoutes(app, resolved);
  subscribeRoutes(app, resolved);
  decisionTreeRoutes(app, resolved);
};
