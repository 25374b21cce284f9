import { ApiError } from '../platform/http/api-error.ts';
import type { CardProcessor } from './processor.ts';

/**
 * The processors this server can talk to. A tenant's new cardholders, cards and controls go to
 * its processor (today every tenant uses the default); records already made stay with the
 * processor that holds them, found by the name stored beside them.
 */
export class Processors {
  private readonly byName: Map<string, CardProcessor>;

  constructor(
    processors: CardProcessor[],
    private readonly defaultName: string,
  ) {
    this.byName = new Map(processors.map((p) => [p.name, p]));
    if (!this.byName.has(defaultName)) throw new Error(`no card processor named ${defaultName}`);
  }

  forTenant(_tenantId: string): CardProcessor {
    return this.byName.get(this.defaultName)!;
  }

  named(name: string): CardProcessor {
    const processor = this.byName.get(name);
    if (!processor) throw new ApiError(503, 'processor_unavailable', `The card processor ${name} is not configured on this server`);
    return processor;
  }
}
