import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { registerOperation } from '../operation-route.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { benchmarkPoints, entityPoints } from './performance-series.ts';
import { BENCHMARK_STATS, performance } from './performance.ts';
import { PerformanceRequest, PerformanceResponse } from './performance.schema.ts';

type Body = Static<typeof PerformanceRequest>;

export function performanceRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/performance_calculator',
    operationId: 'performanceCalculator',
    tag: 'Util',
    summary: 'Performance and risk statistic of a Nucleus record',
    description:
      'Computes one return, risk or benchmark-relative statistic of a security, model, allocation, portfolio, account, goal, household or client over a window of its stored values. Formulas: docs/proton-portfolio.md.',
    body: PerformanceRequest,
    response: PerformanceResponse,
    solve: async (body, auth) => {
      const reader = EntityReader.asCaller(nucleus, auth);
      const { points, field } = await entityPoints(reader, body);
      const benchmark = body.benchmark_id && BENCHMARK_STATS.has(body.stat_name) ? await benchmarkPoints(reader, body.benchmark_id, body) : undefined;
      return { stat_name: body.stat_name, measured: field, ...performance(points, benchmark, body, field) };
    },
  });
}
