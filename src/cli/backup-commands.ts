import fs from 'node:fs';
import path from 'node:path';
import { installAdvice, newestClientPrograms, unsuitability } from './backup/client-programs.ts';
import { archiveFormat, dumpWithPgDump, restoreWithPgRestore } from './backup/pg-dump-archive.ts';
import { dumpPortable, restorePortable } from './backup/portable-archive.ts';
import { connect, requireEmpty, requireNoOtherSessions, serverMajor } from './backup/target-database.ts';
import { noPositionals, stringOption, type StorageCommand } from './command.ts';
import { CliError, usageError } from './errors.ts';

const FORMATS = ['custom', 'portable'] as const;
type Format = (typeof FORMATS)[number];

/**
 * Gives the finished backup its name. A link, unlike a rename, fails on a file made under that
 * name meanwhile; a file system without hard links gets the rename.
 */
function publish(partial: string, out: string): void {
  try {
    fs.linkSync(partial, out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${out} exists; a backup never overwrites a file`);
    fs.renameSync(partial, out);
  }
}

export const backupCommand: StorageCommand = {
  options: { out: { type: 'string' }, format: { type: 'string' } },
  parse(positionals, values) {
    noPositionals(positionals);
    const out = stringOption(values, 'out');
    if (!out) throw usageError('Missing --out <file>');
    const asked = stringOption(values, 'format');
    if (asked !== undefined && !FORMATS.includes(asked as Format)) throw usageError(`--format must be ${FORMATS.join(' or ')}, got "${asked}"`);
    if (fs.existsSync(out)) throw new CliError(`${out} exists; a backup never overwrites a file`);
    return async ({ url, description, io, json }) => {
      const client = await connect(url, 'backup');
      // Written beside the target and named when complete, so a file by that name is a whole backup.
      const partial = path.join(path.dirname(out), `.${path.basename(out)}.partial-${process.pid}`);
      try {
        const programs = await newestClientPrograms();
        const why = unsuitability(programs, await serverMajor(client));
        const format: Format = (asked as Format | undefined) ?? (why ? 'portable' : 'custom');
        if (format === 'custom' && why) throw new CliError(why);
        if (format === 'portable' && asked === undefined) io.err(`note: ${why} Writing Deuterium's portable backup instead, which "deuterium restore" reads.`);
        let counts: { tables: number; rows: number } | undefined;
        if (format === 'custom') await dumpWithPgDump(programs!, url, partial);
        else counts = await dumpPortable(client, partial);
        publish(partial, out);
        const bytes = fs.statSync(out).size;
        if (json) io.out(JSON.stringify({ file: out, format, bytes, ...counts }, null, 2));
        else io.out(`Backed up ${description} to ${out}: ${format === 'custom' ? "pg_dump's custom format" : `Deuterium's portable format, ${counts!.rows} rows`}, ${bytes} bytes.`);
      } finally {
        fs.rmSync(partial, { force: true });
        await client.end();
      }
    };
  },
};

function parseJobs(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^[1-9]\d*$/.test(text)) throw usageError('--jobs must be a whole number of connections, 1 or more');
  return Number(text);
}

export const restoreCommand: StorageCommand = {
  options: { force: { type: 'boolean' }, jobs: { type: 'string' } },
  parse(positionals, values) {
    if (positionals.length !== 1) throw usageError('Usage: deuterium restore <file> [--force] [--jobs <n>]');
    const [file] = positionals;
    if (!fs.existsSync(file)) throw new CliError(`No such file: ${file}`);
    const format = archiveFormat(file);
    if (!format) throw new CliError(`${file} is neither a pg_dump archive (custom format) nor a Deuterium backup`);
    const pgArchive = format === 'custom';
    const jobs = parseJobs(stringOption(values, 'jobs'));
    if (jobs > 1 && !pgArchive) throw usageError('--jobs is for pg_dump archives; a portable backup restores on one connection');
    return async ({ url, description, io, json }) => {
      const client = await connect(url, 'restore');
      try {
        const programs = pgArchive ? await newestClientPrograms() : undefined;
        if (pgArchive && !programs) throw new CliError(`No pg_restore is installed, and this is a pg_dump archive. ${installAdvice(await serverMajor(client))}`);
        await requireNoOtherSessions(client);
        await requireEmpty(client, values.force === true);
        let rows: number | undefined;
        try {
          if (programs) await restoreWithPgRestore(programs, url, file, jobs);
          else rows = (await restorePortable(client, url, file)).rows;
        } catch (error) {
          throw new CliError(`${(error as Error).message}\nRestore again with --force: the database may hold part of it.`);
        }
        // Restored tables have no planner statistics until autovacuum gets to them.
        await client.query('ANALYZE');
        if (json) io.out(JSON.stringify({ file, format, rows }, null, 2));
        else io.out(`Restored ${file} into ${description}${rows === undefined ? '' : `: ${rows} rows`}. Start the servers: they apply any newer migrations.`);
      } finally {
        await client.end();
      }
    };
  },
};
