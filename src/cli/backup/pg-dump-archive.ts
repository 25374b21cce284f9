import fs from 'node:fs';
import { runClientProgram, type ClientPrograms } from './client-programs.ts';

/** The first bytes of pg_dump's custom format. */
const MAGIC = 'PGDMP';

export function isPgDumpArchive(file: string): boolean {
  const start = Buffer.alloc(MAGIC.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, start, 0, start.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return start.toString('latin1') === MAGIC;
}

/**
 * pg_dump's custom format, compressed, from one consistent snapshot of a server that keeps
 * serving; pg_restore can load it with several connections at once. Never prompts for a
 * password: the URL carries it, or ~/.pgpass does.
 */
export async function dumpWithPgDump(programs: ClientPrograms, url: string, file: string): Promise<void> {
  await runClientProgram(programs.pgDump, ['--format=custom', '--no-password', `--file=${file}`, `--dbname=${url}`]);
}

/**
 * Restores without the source's owners and grants, whose roles the target may not have. One
 * connection restores in one transaction, all or nothing; several cannot share one.
 */
export async function restoreWithPgRestore(programs: ClientPrograms, url: string, file: string, jobs: number): Promise<void> {
  await runClientProgram(programs.pgRestore, [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--no-password',
    jobs > 1 ? `--jobs=${jobs}` : '--single-transaction',
    `--dbname=${url}`,
    file,
  ]);
}
