import fs from 'node:fs';
import type { Hex } from 'viem';

/** One mined transaction of the embedded chain, enough to mine it again the same way. */
export interface LoggedTransaction {
  raw: Hex;
  timestamp: number;
}

/**
 * The embedded chain's history as an append-only file of raw signed transactions with their
 * block timestamps: the EVM keeps its state in memory only, so a restart replays this file.
 */
export class TransactionLog {
  constructor(private readonly file: string) {}

  read(): LoggedTransaction[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A crash mid-append leaves at most one partial last line, which was never acknowledged.
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as LoggedTransaction];
        } catch {
          return [];
        }
      });
  }

  append(entry: LoggedTransaction): void {
    fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
