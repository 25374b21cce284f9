import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { CalculationError } from '../calculation-error.ts';
import { simulateMonteCarlo, summarise } from './monte-carlo.ts';
import { MonteCarloRequest, MonteCarloResponse } from './monte-carlo.schema.ts';
import { PORTFOLIO_IDS, portfolioMoments, requirePortfolioIds } from './market-inputs.ts';
import { freshSeed } from './random.ts';
import { toCents } from './rounding.ts';

type Body = Static<typeof MonteCarloRequest>;

export function monteCarloRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/monte_carlo',
    operationId: 'monteCarlo',
    tag: 'Simulations',
    summary: 'Monte Carlo simulation of a balance',
    description:
      'Simulates n paths of a balance with log-normal returns of the given mean and deviation per period, cash flows at the end of each period and bounds on returns and balances, and reports the paths or their mean or percentiles per period.',
    body: MonteCarloRequest,
    response: MonteCarloResponse,
    solve: async (body, auth) => {
      await requirePortfolioIds(nucleus, auth, body);
      let mu = body.mu;
      let sigma = body.sigma;
      if (mu === undefined || sigma === undefined) {
        if (mu !== undefined || sigma !== undefined) throw new CalculationError(mu === undefined ? 'mu' : 'sigma', 'give mu and sigma together, or neither to use a portfolio');
        if (!PORTFOLIO_IDS.some(([field]) => body[field])) throw new CalculationError('mu', 'give mu and sigma, or name a portfolio by allocation_id, model_id, portfolio_id, account_id or aggregation_account_id');
        const moments = await portfolioMoments(EntityReader.asCaller(nucleus, auth), body, body.frequency_interval);
        mu = [moments.mean];
        sigma = [moments.deviation];
      }
      const seed = body.seed ?? freshSeed();
      const paths = simulateMonteCarlo({
        n: body.n,
        seed,
        initialBalance: body.init_bal,
        cashFlows: body.cf,
        mu,
        sigma,
        retMod: body.ret_mod,
        minBal: body.min_bal,
        maxBal: body.max_bal,
        minSample: body.min_sample,
        maxSample: body.max_sample,
      });
      const summary = summarise(paths, body.result_type, body.p, body.remove_outliers);
      return {
        sims: summary.series.map((series) => series.map(toCents)),
        percentiles: summary.percentiles,
        periods: paths.periods,
        paths: body.n,
        paths_kept: summary.kept,
        mu,
        sigma,
        seed,
        inputs: body,
      };
    },
  });
}
