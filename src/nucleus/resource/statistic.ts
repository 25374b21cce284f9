import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { readData } from './data.ts';

const statisticSchema = Type.Object(
  {
    stat_name: Type.String({ description: 'Name to ask the performance calculation for', examples: ['sharpe_ratio'] }),
    type: Type.Union([Type.Literal('point'), Type.Literal('time_series')], {
      description: 'point: one number for the period; time_series: one value per date',
    }),
    description: Type.String(),
    parameter: Type.Optional(
      Type.String({ description: 'The performance request field(s) that tune this statistic, comma-separated', examples: ['risk_free_sharpe'] }),
    ),
  },
  { title: 'StatisticResourceVO' },
);

/** Performance statistics grouped by kind (return, risk, ...), from data/statistics.json. */
const statistics = readData<Record<string, { stat_name: string; type: string; description: string; parameter?: string }[]>>(
  'statistics.json',
);

export function statisticRoute(app: FastifyInstance): void {
  app.get('/resource/statistic', {
    schema: {
      tags: ['Resource'],
      summary: 'Performance statistics that can be asked for',
      description: 'Grouped by kind: return, risk, risk_adjusted_return, benchmark (needs a benchmark), distribution and simulation.',
      operationId: 'getAllStatisticsUsingGet',
      response: { 200: Type.Record(Type.String(), Type.Array(statisticSchema)), ...errorResponses },
    },
    handler: async () => statistics,
  });
}
