import type { Config } from '../config.ts';
import type { Database } from '../platform/db/database.ts';
import type { HydroChain } from './chain.ts';

/** What Hydro's routes share. */
export interface Hydro {
  config: Config;
  db: Database;
  /** The chain, opened on first use. */
  chain(): Promise<HydroChain>;
}
