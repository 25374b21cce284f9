import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import type { EntityName } from '../../platform/entity/entity-records.ts';
import { EntityReader, type Row } from '../../platform/read/entity-reader.ts';
import type { ViewRoutesOptions } from './routes.ts';
import { UUID } from '../../platform/entity/uuid.ts';

/**
 * Walks the decision trees from their first nodes: at each node, the relationship whose
 * answer is among the answers given leads on, to its child node or, at a leaf, to its value.
 * The values reached are the result; those naming no record of the entity type asked for
 * (when it is an entity) are left out.
 */
export async function decide(reader: EntityReader, answerIds: string[], entityType: string, entities: ReadonlySet<string>) {
  const given = await reader.rows('node_relationship', {
    where: { answer_id: { in: answerIds } },
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
  const byParent = new Map<string, Row<'node_relationship'>[]>();
  for (const relationship of given) {
    const parent = relationship.doc.node_parent_id;
    byParent.set(parent, [...(byParent.get(parent) ?? []), relationship]);
  }
  const parents = await reader.byIds('node', [...byParent.keys()]);
  const reached: string[] = [];
  const visited = new Set<string>();
  const walk = (nodeId: string): void => {
    if (visited.has(nodeId)) return;
    visited.add(nodeId);
    for (const relationship of byParent.get(nodeId) ?? []) {
      const child = relationship.doc.node_child_id;
      if (relationship.doc.is_leaf === true || !child) reached.push(relationship.doc.value);
      else walk(child);
    }
  };
  for (const node of parents.filter((n) => n.doc.is_first === true)) walk(node.id);
  let ids = [...new Set(reached)].filter((value) => UUID.test(value));
  const isEntity = (name: string): name is EntityName => entities.has(name);
  if (isEntity(entityType)) ids = (await reader.byIds(entityType, ids)).map((r) => r.id);
  return { entity_type: entityType, entity_id: ids };
}

/** POST /decision_tree_result. */
export function decisionTreeRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  app.post('/decision_tree_result', {
    schema: {
      tags: ['DecisionTree'],
      summary: 'Walk the decision trees with the answers given',
      description:
        "From each tree's first node (is_first), follow the node_relationship whose answer is among the answers, to its child node, until " +
        'a leaf; the leaves\' values are the ids returned, kept when they name a record of entity_type (when it is an entity, e.g. model or allocation).',
      operationId: 'create_decision_tree_result',
      body: Type.Object(
        {
          answers: Type.Array(Type.Object({ answer_id: Type.String({ format: 'uuid' }) }, { title: 'AnswerMap', additionalProperties: false })),
          entity_type: Type.String({ minLength: 1, description: 'What the leaves name, e.g. model, allocation or portfolio' }),
        },
        { title: 'DecisionTreeCO', additionalProperties: false },
      ),
      response: {
        200: Type.Object(
          { entity_type: Type.String(), entity_id: Type.Array(Type.String({ format: 'uuid' })) },
          { title: 'DecisionTreeResultVO', additionalProperties: false },
        ),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const body = request.body;
      return decide(EntityReader.asCaller(options, request.auth), body.answers.map((a) => a.answer_id), body.entity_type, new Set(options.stores.keys()));
    },
  });
}
