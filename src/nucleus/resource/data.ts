import { readFileSync } from 'node:fs';

/**
 * Reads one of the reference data files shipped in ./data. Read from disk rather than
 * imported, so Node's JSON-module warning never reaches the server's output.
 */
export function readData<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')) as T;
}
