import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { registerOperation } from '../operation-route.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { CalculationError } from '../calculation-error.ts';
import { requireNucleusData } from '../market/market-data.ts';
import { portfolioStatistics } from '../market/portfolio-statistics.ts';
import { MeanVarianceOptimizer, withMinimumAssets } from '../market/mean-variance.ts';
import { problemFor } from './mvo.ts';
import { RiskAllocationRequest, RiskAllocationResponse } from './risk-allocation.schema.ts';

type Body = Static<typeof RiskAllocationRequest>;

/** An allocation's risk and return: from its record when it states a volatility, otherwise from the prices of its holdings. */
async function measure(reader: EntityReader, id: string, useProxy: boolean) {
  const doc = await reader.doc('allocation', id);
  if (typeof doc.volatility === 'number') {
    return { allocation_id: id, risk: doc.volatility, return: typeof doc.performance === 'number' ? doc.performance : null, source: 'record' as const };
  }
  const stats = await portfolioStatistics(reader, { allocation_id: id, use_proxy_data: useProxy }, 'day');
  return { allocation_id: id, risk: stats.annualRisk, return: stats.annualMean, source: 'prices' as const };
}

/** Candidates ranked by risk; the score picks the one at its rank: round(score / 100 × (n − 1)). */
async function select(reader: EntityReader, body: Body) {
  let ids = body.allocations;
  if (!ids) {
    if (!body.client_id) throw new CalculationError('allocations', 'name the candidate allocations, or a client_id whose allocations are the candidates');
    ids = (await reader.rows('allocation', { where: { client_id: body.client_id }, order: (f) => `${f.column('create_date')}, ${f.column('id')}` })).map((r) => r.id);
    if (ids.length === 0) throw new CalculationError('client_id', 'has no allocations to select from');
  }
  const candidates = [];
  for (const id of new Set(ids)) candidates.push(await measure(reader, id, body.use_proxy_data));
  candidates.sort((a, b) => a.risk - b.risk);
  const selected = candidates[Math.round((body.risk_score / 100) * (candidates.length - 1))];
  return { selected_allocation: selected, candidates };
}

/** An optimised allocation at the risk the score points to along the efficient frontier. */
async function create(reader: EntityReader, body: Body) {
  if (!body.opt_config) throw new CalculationError('opt_config', 'is needed to create an allocation');
  const { problem } = await problemFor(reader, body.opt_config, { prefix: 'opt_config.', useProxy: body.use_proxy_data });
  if (body.opt_config.min_assets > body.opt_config.tickers.length) throw new CalculationError('opt_config.min_assets', `exceeds the ${body.opt_config.tickers.length} tickers`);
  let targetRisk = 0;
  const { optimal } = withMinimumAssets(new MeanVarianceOptimizer(problem), problem, body.opt_config.min_assets, (optimizer) => {
    const ends = optimizer.ends('opt_config.w_config');
    targetRisk = ends.low.risk + (body.risk_score / 100) * (ends.high.risk - ends.low.risk);
    return optimizer.atRisk(targetRisk, ends)!;
  });
  return { created_allocation: { tickers: body.opt_config.tickers, weights: optimal.weights, target_risk: targetRisk, risk: optimal.risk, return: optimal.return } };
}

export function riskAllocationRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/risk_allocation',
    operationId: 'riskAllocation',
    tag: 'Risk Scoring',
    summary: 'Allocation for a risk score',
    description:
      'Maps a risk score to an allocation: selects among candidate allocations by the rank of their risk, or creates one by mean-variance optimisation at the risk the score points to between the least-risk and highest-return portfolios. Formulas: docs/proton-portfolio.md.',
    body: RiskAllocationRequest,
    response: RiskAllocationResponse,
    solve: async (body, auth) => {
      requireNucleusData(body.market_data_source);
      const reader = EntityReader.asCaller(nucleus, auth);
      const outcome = body.allocation_method === 'select' ? await select(reader, body) : await create(reader, body);
      return { allocation_method: body.allocation_method, risk_score: body.risk_score, ...outcome };
    },
  });
}
