import { errors } from '../http/errors.ts';
import type { WritePreparer } from '../entity/writer.ts';
import { generateSecret, secretProblem } from './signature.ts';
import { checkWebhookUrl, TargetRefused } from './target.ts';

/**
 * What the schema alone cannot say about a webhook body: its URL must be reachable without
 * crossing into private networks, a secret sent must be usable, and a missing secret is made.
 */
export function prepareWebhookInput(allowPrivate: boolean): WritePreparer {
  return async (doc, { action }) => {
    if (typeof doc.url === 'string') {
      try {
        await checkWebhookUrl(doc.url, allowPrivate);
      } catch (error) {
        if (error instanceof TargetRefused) throw errors.invalidField({ field: 'url', problem: error.message });
        throw error;
      }
    }
    if (typeof doc.secret === 'string') {
      const problem = secretProblem(doc.secret);
      if (problem) throw errors.invalidField({ field: 'secret', problem });
    } else if (action === 'create') {
      doc.secret = generateSecret();
    }
  };
}
