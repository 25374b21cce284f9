import { typedRoutes } from '../platform/http/typed-routes.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { PlatformDeps } from '../platform/deps.ts';
import { errors } from '../platform/http/errors.ts';
import { forwardToLead } from '../platform/process/forwarding.ts';
import type { HydroChain } from './chain.ts';
import { RevertedTransactionError } from './chain-errors.ts';
import { chainRoutes } from './chain.routes.ts';
import { clientRaindropRoutes } from './client-raindrop.routes.ts';
import type { Hydro } from './context.ts';
import { hydroIdRoutes } from './hydro-id.routes.ts';
import { listRoutes } from './lists.routes.ts';
import { requirePartner } from './partner.ts';
import { serverRaindropRoutes } from './server-raindrop.routes.ts';
import { answerRaindrop } from './signatures.ts';

/**
 * Hydro under /hydro/v1: Raindrop two-factor authentication on an Ethereum chain. viem, the
 * compiler and the EVM take seconds to load, so they are imported on the first Hydro request
 * (handlers import viem themselves): servers that never use Hydro never pay for them. In a
 * cluster, only the lead does: the embedded chain is in its memory, and the operator key's
 * nonces are counted there, so the other workers forward Hydro's requests to it.
 */
export const hydroRoutes: FastifyPluginAsync<Pick<PlatformDeps, 'config' | 'db' | 'lead'>> = async (app, { config, db, lead }) => {
  const unavailable = () => errors.chainUnavailable({});
  let open: (() => Promise<HydroChain>) | undefined;
  const hydro: Hydro = {
    config,
    db,
    chain: async () => {
      open ??= (await import('./open-chain.ts')).chainOpener(config, app.log);
      return open().catch((error: unknown) => {
        app.log.error({ err: error }, 'the Hydro chain could not be opened');
        throw unavailable();
      });
    },
  };
  if (lead.isLead) answerRaindrop(hydro, lead);
  app.addHook('onRequest', async (request) => requirePartner(request.auth));
  forwardToLead(app, lead, unavailable);
  // A node that fails or refuses a transaction is a gateway's failure, not the caller's; the
  // platform's handler then answers it in the usual shape.
  app.setErrorHandler(async (error) => {
    if (error instanceof RevertedTransactionError) throw errors.transactionReverted({ reason: `The chain reverted transaction ${error.hash}` });
    const { BaseError } = await import('viem');
    if (error instanceof BaseError) throw errors.chainError({ reason: `The Ethereum node failed: ${error.shortMessage}` });
    throw error;
  });
  const routes = typedRoutes(app);
  chainRoutes(routes, hydro);
  serverRaindropRoutes(routes, hydro);
  clientRaindropRoutes(routes, hydro);
  hydroIdRoutes(routes, hydro);
  listRoutes(routes, hydro);
};
