import { CalculationError } from '../calculation-error.ts';
import type { DocOf, EntityReader } from '../../platform/read/entity-reader.ts';

export interface ModelTargets {
  model: DocOf<'model'>;
  /** Strategic weight by ticker, as fractions scaled to sum to 1. */
  weights: Map<string, number>;
  /** The holdings' own drift_factor by ticker, where they have one. */
  driftFactors: Map<string, number>;
}

/** A model's latest holdings (those of its latest date) by ticker; 404 when the caller cannot read the model. */
export async function modelTargets(reader: EntityReader, modelId: string): Promise<ModelTargets> {
  const model = await reader.doc('model', modelId);
  const rows = await reader.rows('model_holding', { where: { model_id: modelId }, order: (f) => `${f.column('create_date')}, ${f.column('id')}` });
  const latest = rows.reduce((max, r) => (String(r.doc.date) > max ? String(r.doc.date) : max), '');
  const holdings = rows.filter((r) => String(r.doc.date) === latest && Number(r.doc.strategic_weight) > 0);
  const total = holdings.reduce((sum, r) => sum + Number(r.doc.strategic_weight), 0);
  if (!(total > 0)) throw new CalculationError('model_id', 'the model has no holding with a strategic_weight above 0');
  const securities = new Map((await reader.byIds('security', holdings.map((r) => String(r.doc.security_id)))).map((s) => [s.id, s.doc]));
  const weights = new Map<string, number>();
  const driftFactors = new Map<string, number>();
  for (const holding of holdings) {
    const ticker = securities.get(String(holding.doc.security_id).toLowerCase())?.ticker;
    if (typeof ticker !== 'string') throw new CalculationError('model_id', `the model holds security ${holding.doc.security_id}, which has no ticker the caller can read`);
    weights.set(ticker, (weights.get(ticker) ?? 0) + Number(holding.doc.strategic_weight) / total);
    if (typeof holding.doc.drift_factor === 'number') driftFactors.set(ticker, holding.doc.drift_factor);
  }
  return { model, weights, driftFactors };
}
