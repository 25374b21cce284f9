import fs from 'node:fs';
import { runClientProgram, type ClientPrograms } from './client-programs.ts';

/** Which archive a file is, by its first bytes: pg_dump's custom format, or a gzip stream. */
export function archiveFormat(file: string): 'custom' | 'portable' | undefined {
  const start = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, start, 0, start.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (start.toString('latin1') === 'PGDMP') return 'custom';
  if (start[0] === 0x1f && start[1] === 0x8b) return 'portable';
  return undefined;
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
