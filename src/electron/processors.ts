import { errors } from '../platform/http/errors.ts';
import type { CardProcessor } from './processor.ts';

/** Which processor serves which tenant: a default, and tenants that use another. */
export interface ProcessorChoice {
  defaultName: string;
  byTenant: Readonly<Record<string, string>>;
}

/**
 * The processors this server can talk to. A tenant's new cardholders, cards and controls go to
 * its processor (the configured default unless the tenant is given another); records already
 * made stay with the processor that holds them, found by the name stored beside them.
 */
export class Processors {
  private readonly byName: Map<string, CardProcessor>;

  constructor(
    processors: CardProcessor[],
    private readonly choice: ProcessorChoice,
  ) {
    this.byName = new Map(processors.map((p) => [p.name, p]));
    // A name nobody registered is a configuration mistake: refuse to start rather than fail each card later.
    const available = [...this.byName.keys()].join(', ');
    if (!this.byName.has(choice.defaultName)) throw new Error(`ELECTRON_PROCESSOR names ${choice.defaultName}, which is not a card processor of this server (${available})`);
    for (const [tenant, name] of Object.entries(choice.byTenant)) {
      if (!this.byName.has(name)) throw new Error(`ELECTRON_TENANT_PROCESSORS gives tenant ${tenant} the processor ${name}, which is not a card processor of this server (${available})`);
    }
  }

  forTenant(tenantId: string): CardProcessor {
    return this.byName.get(this.choice.byTenant[tenantId] ?? this.choice.defaultName)!;
  }

  named(name: string): CardProcessor {
    const processor = this.byName.get(name);
    if (!processor) throw errors.processorUnavailable({ reason: `The card processor ${name} is not configured on this server` });
    return processor;
  }
}
