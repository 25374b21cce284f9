import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { CalculationError } from '../calculation-error.ts';
import { fractionOut } from '../response-fields.ts';
import { goalProblem, recommendationBounds, type GoalBody } from './goal-request.ts';
import { goalAnswer } from './goal-answer.ts';
import { chooseAllocation, type AllocationChoice } from './goal-allocation.ts';
import { optimise, problemFor, type OptimisationRequest } from '../portfolio/mvo.ts';
import { HELD_WEIGHT } from '../market/mean-variance.ts';
import { AccumulationAllocationRequest, DecumulationAllocationRequest, goalResponse } from './goal.schema.ts';

interface AllocationBody extends GoalBody {
  allocation_method: 'select' | 'create';
  allocation_priority: 'goal' | 'risk';
  allocations?: string[];
  risk_score: number;
  use_proxy_data: boolean;
  opt_config?: OptimisationRequest;
}

type Candidate = AllocationChoice & { holdings: { ticker: string; weight: number }[] | null };

const Holding = Type.Object(
  { ticker: Type.String({ description: 'A security of opt_config.tickers' }), weight: fractionOut('Its weight') },
  { additionalProperties: false, title: 'GoalAllocationHolding' },
);

const ScoredAllocation = Type.Object(
  {
    id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The Nucleus allocation selected; null for one created from opt_config' }),
    holdings: Type.Union([Type.Array(Holding), Type.Null()], { description: 'Weights of a created allocation (held ones only); null for a Nucleus allocation' }),
    performance: fractionOut("Its annual expected return: the allocation record's performance, or the created portfolio's annualised mean return"),
    volatility: fractionOut("Its annual standard deviation: the record's volatility, or the created portfolio's annualised risk"),
    goal_probability: fractionOut('Probability of the goal when invested in it, from the same shocks as the others'),
  },
  { additionalProperties: false, title: 'GoalAllocationScore' },
);

const ALLOCATION_FIELDS = {
  allocation: ScoredAllocation,
  allocations: Type.Array(ScoredAllocation, { description: 'Every allocation considered, in the order given' }),
};

async function readAllocations(nucleus: NucleusAccess, auth: AuthContext, ids: string[]): Promise<Candidate[]> {
  await requireRecords(nucleus, auth, 'allocation', ids);
  const rows = new Map((await EntityReader.asCaller(nucleus, auth).byIds('allocation', ids)).map((row) => [row.id.toLowerCase(), row.doc]));
  return ids.map((id, i) => {
    const doc = rows.get(id.toLowerCase())!;
    if (typeof doc.performance !== 'number' || typeof doc.volatility !== 'number') throw new CalculationError(`allocations[${i}]`, 'names an allocation without performance and volatility');
    if (doc.performance <= -1 || doc.volatility < 0) throw new CalculationError(`allocations[${i}]`, 'names an allocation whose performance is -1 or less or whose volatility is negative');
    return { id, performance: doc.performance, volatility: doc.volatility, holdings: null };
  });
}

/**
 * Candidates built from opt_config: the points of the efficient frontier (annualised daily
 * returns of the tickers, under the weight limits and minimum number of assets) that the mvo
 * operation traces, from the least variance to the highest return.
 */
async function frontierAllocations(reader: EntityReader, request: AllocationBody): Promise<Candidate[]> {
  if (!request.opt_config) throw new CalculationError('opt_config', 'is required to create an allocation');
  const config = request.opt_config;
  const { problem } = await problemFor(reader, config, { prefix: 'opt_config.', useProxy: request.use_proxy_data });
  const { frontier } = optimise(problem, config.min_assets, undefined, 'opt_config.');
  return frontier.map((point) => ({
    id: null,
    performance: point.return,
    volatility: point.risk,
    holdings: config.tickers.flatMap((ticker, i) => (point.weights[i] >= HELD_WEIGHT ? [{ ticker, weight: point.weights[i] }] : [])),
  }));
}

function allocationOperation(app: FastifyInstance, nucleus: NucleusAccess, kind: 'accumulation' | 'decumulation', body: TSchema) {
  const name = kind === 'accumulation' ? 'Accumulation' : 'Decumulation';
  registerOperation<AllocationBody>(app, nucleus, {
    path: `/goal_${kind}/allocation`,
    operationId: `goal${name}Allocation`,
    tag: 'Goals',
    summary: `Allocation for a ${kind} goal`,
    description: `Scores each allocation (its performance and volatility as annual return and risk) on the ${kind} goal with the same simulated shocks, picks one by allocation_priority, and reports the goal's status invested in it, with a recommendation as in goal_${kind}/status. With allocation_method create the candidates are the points of the efficient frontier of opt_config's tickers (as the mvo operation traces it).`,
    body,
    response: goalResponse(body, ALLOCATION_FIELDS),
    solve: async (request, auth) => {
      let allocations: Candidate[];
      if (request.allocation_method === 'create') allocations = await frontierAllocations(EntityReader.asCaller(nucleus, auth), request);
      else if (!request.allocations) throw new CalculationError('allocations', 'is required to select an allocation');
      else allocations = await readAllocations(nucleus, auth, request.allocations);
      const base = await goalProblem(EntityReader.asCaller(nucleus, auth), request, kind, { annualReturns: [0], annualRisks: [0] });
      const { chosen, scored } = chooseAllocation(base, allocations, request.allocation_priority, request.risk_score);
      const problem = { ...base, annualReturns: [chosen.performance], annualRisks: [chosen.volatility] };
      const wanted = request.recommendation_config.recommend !== false;
      const out = (a: (typeof scored)[number]) => ({ id: a.id, holdings: a.holdings, performance: a.performance, volatility: a.volatility, goal_probability: a.probability });
      return {
        ...goalAnswer(problem, request.recommend_type, wanted ? recommendationBounds(request) : null),
        allocation: out(chosen),
        allocations: scored.map(out),
        inputs: request,
      };
    },
  });
}

export function goalAllocationRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  allocationOperation(app, nucleus, 'accumulation', AccumulationAllocationRequest);
  allocationOperation(app, nucleus, 'decumulation', DecumulationAllocationRequest);
}
