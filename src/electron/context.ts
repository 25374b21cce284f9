import type { EntityWriter } from '../platform/entity/writer.ts';
import { ApiError } from '../platform/http/api-error.ts';
import type { MovementRunner } from './movement-runner.ts';
import type { Movements } from './movements.ts';
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
  runner: MovementRunner;
}

/** Runs a processor call, turning its refusal into the API's answer about `subject` ("Card …"). */
export async function atProcessor<T>(subject: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProcessorRefusal) throw new ApiError(error.status, error.code, `${subject}: ${error.message}`);
    throw error;
  }
}
