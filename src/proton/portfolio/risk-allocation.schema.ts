import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut } from '../response-fields.ts';
import { marketDataSource, useProxyData } from './portfolio-fields.ts';
import { optimisationFields } from './mvo.schema.ts';

const OptConfig = Type.Object(optimisationFields(), { additionalProperties: false, title: 'RiskAllocationOptConfig', description: 'The optimisation that builds the allocation with allocation_method create, as in mvo' });

export const RiskAllocationRequest = defaultsOptional(
  Type.Object(
    {
      allocation_method: Type.Union([Type.Literal('select'), Type.Literal('create')], {
        description: 'select: pick the allocation whose risk ranks at the score among the candidates; create: optimise one at the risk the score points to',
      }),
      risk_score: Type.Number({ minimum: 0, maximum: 100, default: 50, description: 'Risk score from 0 (least risk) to 100 (most)' }),
      allocations: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, description: 'Candidate allocations for select; each must be readable (404 otherwise)' })),
      client_id: Type.Optional(Type.String({ format: 'uuid', description: "Without allocations, select among this client's allocations (client_id on the allocation)" })),
      opt_config: Type.Optional(OptConfig),
      market_data_source: marketDataSource(),
      use_proxy_data: useProxyData(),
    },
    { additionalProperties: false },
  ),
);

const Candidate = Type.Object(
  {
    allocation_id: Type.String({ format: 'uuid' }),
    risk: fractionOut("Annual risk: the allocation's volatility field, or √252 × the standard deviation of its daily returns"),
    return: Type.Union([fractionOut("Annual return: the allocation's performance field, or 252 × its mean daily return"), Type.Null()]),
    source: Type.Union([Type.Literal('record'), Type.Literal('prices')], { description: 'Whether risk came from the allocation record or from prices' }),
  },
  { additionalProperties: false, title: 'RiskAllocationCandidate' },
);

export const RiskAllocationResponse = Type.Object(
  {
    allocation_method: Type.String(),
    risk_score: Type.Number(),
    selected_allocation: Type.Optional(Candidate),
    candidates: Type.Optional(Type.Array(Candidate, { description: 'The candidates from least to most risk' })),
    created_allocation: Type.Optional(
      Type.Object(
        {
          tickers: Type.Array(Type.String()),
          weights: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { description: 'Weight of each ticker, in the same order' }),
          target_risk: fractionOut('Least risk + score/100 × (risk of the highest-return portfolio − least risk)'),
          risk: fractionOut('Annual risk of the allocation'),
          return: fractionOut('Annual expected return of the allocation'),
        },
        { additionalProperties: false, title: 'RiskAllocationCreated' },
      ),
    ),
  },
  { additionalProperties: false },
);
