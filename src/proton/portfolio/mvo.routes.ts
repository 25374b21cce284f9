import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { registerOperation } from '../operation-route.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { requireNucleusData } from '../market/market-data.ts';
import { optimise, problemFor } from './mvo.ts';
import { MvoRequest, MvoResponse } from './mvo.schema.ts';

type Body = Static<typeof MvoRequest>;

export function mvoRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/mvo',
    operationId: 'mvo',
    tag: 'Portfolio Construction',
    summary: 'Mean-variance optimisation over stored prices',
    description:
      'Chooses weights for the tickers that minimise the variance of daily returns under the weight limits, at a target return or within a target risk, and traces the efficient frontier. Formulas: docs/proton-portfolio.md.',
    body: MvoRequest,
    response: MvoResponse,
    solve: async (body, auth) => {
      requireNucleusData(body.market_data_source);
      const { problem, returns } = await problemFor(EntityReader.asCaller(nucleus, auth), body, { prefix: '', useProxy: body.use_proxy_data });
      const target = body.tgt_type ? { type: body.tgt_type, value: body.tgt_val, field: 'tgt_val' } : undefined;
      const { optimal, frontier } = optimise(problem, body.min_assets, target, '');
      return {
        tickers: body.tickers,
        optimal_portfolio: optimal,
        frontier,
        start_date: returns.dates[0],
        end_date: returns.dates[returns.dates.length - 1],
        periods: returns.dates.length,
      };
    },
  });
}
