import type { AccessControl } from '../platform/acl/access-control.ts';
import type { EntityWriter } from '../platform/entity/writer.ts';
import type { ReadSources } from '../platform/read/entity-reader.ts';
import { errors } from '../platform/http/errors.ts';
import type { ClaimedJob } from '../platform/jobs/kind.ts';
import type { Advanced } from './movement-runner.ts';
import type { MovementRow, Movements } from './movements.ts';
import { ProcessorRefusal } from './processor.ts';
import type { Processors } from './processors.ts';
import type { ElectronRecords } from './records.ts';

/** The Nucleus records, and the access rules a read on behalf of a caller keeps to. */
export type NucleusSources = ReadSources & { acl: AccessControl };

/** What Electron's routes are built from. */
export interface Electron {
  writer: EntityWriter;
  /** Where Nucleus records are read from, as a caller or for the tenant (EntityReader). */
  nucleus: NucleusSources;
  records: ElectronRecords;
  processors: Processors;
  movements: Movements;
  /** Drives a movement whose job the caller holds as far as it goes now (movement-job.ts). */
  drive(job: ClaimedJob, row: MovementRow): Promise<Advanced>;
}

/** Runs a processor call, turning its refusal into the API's answer about `subject` ("Card …"). */
export async function atProcessor<T>(subject: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProcessorRefusal) throw error.entry({ reason: `${subject}: ${error.message}` });
    throw error;
  }
}
