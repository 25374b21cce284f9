import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { decide } from '../../nucleus/views/decision-tree.routes.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';

const ENTITY_TYPES = ['model', 'allocation', 'insurance_quote', 'financial_offer'] as const;

export const DecisionTreeResultRequest = Type.Object(
  {
    answers: Type.Array(Type.Object({ answer_id: Type.String({ format: 'uuid', description: 'A Nucleus answer the caller can read (404 otherwise)' }) }, { additionalProperties: false, title: 'DecisionTreeAnswer' }), {
      minItems: 1,
      description: 'The answers chosen; they decide which branch is taken at each node',
    }),
    entity_type: Type.Unsafe<(typeof ENTITY_TYPES)[number]>({ type: 'string', enum: [...ENTITY_TYPES], description: 'What the leaves name' }),
  },
  { additionalProperties: false },
);

export const DecisionTreeResultResponse = Type.Object(
  {
    entity_type: Type.String({ description: 'As requested' }),
    entity_id: Type.Array(Type.String({ format: 'uuid' }), {
      description: 'The values of the leaves reached, each once, in the order reached; for a Nucleus entity only those naming a record of it the caller can read',
    }),
  },
  { additionalProperties: false, title: 'DecisionTreeResult' },
);

type Body = Static<typeof DecisionTreeResultRequest>;

export function decisionTreeRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/decision_tree_result',
    operationId: 'decisionTreeResult',
    tag: 'Util',
    summary: 'Walk the decision trees with the answers given',
    description:
      "From each tree's first node (is_first), the node_relationship whose answer is among the answers leads to its child node, and so on " +
      "to a leaf; the leaves' values are the result. This is the walk of Nucleus's own decision_tree_result.",
    body: DecisionTreeResultRequest,
    response: DecisionTreeResultResponse,
    solve: async (body, auth) => {
      const answerIds = body.answers.map((a) => a.answer_id);
      await requireRecords(nucleus, auth, 'answer', answerIds);
      return decide(EntityReader.asCaller(nucleus, auth), answerIds, body.entity_type, new Set(nucleus.stores.keys()));
    },
  });
}
