import type { Config } from '../config.ts';
import type { Database } from './db/database.ts';
import type { EntityStore } from './entity/store.ts';
import type { EntityWriter } from './entity/writer.ts';
import type { JobEngine } from './jobs/engine.ts';
import type { LeadLink } from './process/lead.ts';

/** What the platform's plugins are built from; passed explicitly, never reached for globally. */
export interface PlatformDeps {
  config: Config;
  db: Database;
  stores: EntityStore[];
  writer: EntityWriter;
  lead: LeadLink;
  /** The one job engine every kind of background work is queued on. */
  jobs: JobEngine;
}
