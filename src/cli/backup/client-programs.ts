import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { postgresBinaries } from '../../platform/db/postgres-binaries.ts';
import { CliError } from '../errors.ts';

const run = promisify(execFile);

/** pg_dump and pg_restore of one PostgreSQL installation, and its major version. */
export interface ClientPrograms {
  pgDump: string;
  pgRestore: string;
  major: number;
}

/**
 * The directories where PostgreSQL's client programs are installed side by side, one per
 * version: the embedded package's (should a release ever ship them), Debian's and Ubuntu's
 * /usr/lib/postgresql/<v>/bin, the PGDG RPMs' /usr/pgsql-<v>/bin, Homebrew's, then PATH. Debian
 * puts only a wrapper on PATH that chooses by installed cluster, not by the server dumped.
 */
async function candidateDirectories(): Promise<string[]> {
  const dirs: string[] = [];
  try {
    dirs.push(path.dirname((await postgresBinaries()).pg_ctl));
  } catch {
    // No embedded package for this platform: the system's programs may still be there.
  }
  const versioned = (parent: string, bin: (entry: string) => string | undefined) => {
    if (!fs.existsSync(parent)) return;
    for (const entry of fs.readdirSync(parent)) {
      const dir = bin(entry);
      if (dir) dirs.push(path.join(parent, dir));
    }
  };
  versioned('/usr/lib/postgresql', (entry) => `${entry}/bin`);
  versioned('/usr', (entry) => (entry.startsWith('pgsql-') ? `${entry}/bin` : undefined));
  versioned('/opt/homebrew/opt', (entry) => (entry.startsWith('postgresql') ? `${entry}/bin` : undefined));
  versioned('/usr/local/opt', (entry) => (entry.startsWith('postgresql') ? `${entry}/bin` : undefined));
  dirs.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return [...new Set(dirs)];
}

async function majorVersionOf(program: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(program, ['--version']);
    const match = /\(PostgreSQL\) (\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The newest pg_dump and pg_restore installed together; undefined when there are none. */
export async function newestClientPrograms(): Promise<ClientPrograms | undefined> {
  let newest: ClientPrograms | undefined;
  for (const dir of await candidateDirectories()) {
    const pgDump = path.join(dir, 'pg_dump');
    const pgRestore = path.join(dir, 'pg_restore');
    if (!fs.existsSync(pgDump) || !fs.existsSync(pgRestore)) continue;
    const major = await majorVersionOf(pgDump);
    if (major !== undefined && major > (newest?.major ?? 0)) newest = { pgDump, pgRestore, major };
  }
  return newest;
}

/** What to install for client programs of `major` or newer, on the usual systems. */
export function installAdvice(major: number): string {
  return (
    `Install PostgreSQL ${major}'s client programs (or a newer version's): on Debian or Ubuntu ` +
    `\`apt install postgresql-client-${major}\` (from apt.postgresql.org when the distribution has no such version), ` +
    `on RHEL or Fedora \`dnf install postgresql${major}\`, on macOS \`brew install postgresql@${major}\`; ` +
    'or put the bin directory of one on PATH.'
  );
}

/**
 * Why `programs` cannot dump a server of `serverMajor`, or undefined when they can: pg_dump
 * refuses any server newer than itself, since it reads catalogs it does not know.
 */
export function unsuitability(programs: ClientPrograms | undefined, serverMajor: number): string | undefined {
  if (!programs) return `No pg_dump is installed. ${installAdvice(serverMajor)}`;
  if (programs.major >= serverMajor) return undefined;
  return (
    `${programs.pgDump} is PostgreSQL ${programs.major}'s, and pg_dump cannot dump a server newer than itself ` +
    `(this one runs PostgreSQL ${serverMajor}). ${installAdvice(serverMajor)}`
  );
}

/** Runs one of the programs, answering its failure with what it printed. */
export async function runClientProgram(program: string, args: string[]): Promise<void> {
  try {
    await run(program, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stderr, message } = error as Error & { stderr?: string };
    throw new CliError(`${path.basename(program)} failed: ${(stderr || message).trim()}`);
  }
}
