import type { EntityWriter } from '../platform/entity/writer.ts';
import { errors } from '../platform/http/errors.ts';
import type { ClaimedJob } from '../platform/jobs/kind.ts';
import type { Advanced } from './movement-runner.ts';
import type { MovementRow, Movements } from './movements.ts';
import type { NucleusReader } from './nucleus-reader.ts';
import { ProcessorRefusal } from './processor.ts';
import type { Processors } from './processors.ts';
import type { ElectronRecords } from './records.ts';

/** What Electron's routes are built from. */
export interface Electron {
  writer: EntityWriter;
  reader: NucleusReader;
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
