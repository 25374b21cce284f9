import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.ts';

const run = promisify(execFile);

/**
 * The PostgreSQL server Deuterium starts itself when no DATABASE_URL is set: a real cluster
 * whose files live in `DATA_DIR/postgres`, reachable only through a Unix socket (no TCP port,
 * so nothing on the network can reach it and no port can clash), with trust authentication
 * that the socket's 0700 permissions confine to the user it runs as.
 *
 * Lifecycle, so that a crash never blocks the next start:
 * - initdb runs into a directory of its own and is renamed into place, so a cluster directory
 *   is either absent or complete;
 * - the server is started by pg_ctl in its own session, so Ctrl-C in a terminal reaches
 *   Deuterium (which drains its requests first) and not the database under it;
 * - a server left running by a process that died (SIGKILL, power of a container) is adopted;
 * - the process that owns the server holds an advisory lock on a connection of its own, which
 *   PostgreSQL releases when that connection dies: a second owner is refused by name, and a
 *   dead one never needs cleaning up.
 */

export const EMBEDDED_DATABASE = 'deuterium';
const SUPERUSER = 'postgres';
const SOCKET_PORT = 5432;
// Unix socket paths are limited to 107 bytes on Linux (103 on macOS).
const MAX_SOCKET_PATH = 100;
// Keys of the advisory lock that marks the owner of an embedded server.
const OWNER_LOCK = 724118100;
const START_ATTEMPTS = 5;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** What the owner is, shown to a second process that finds the server taken. */
  owner: string;
  /** Server settings added to the defaults (`-c name=value`), e.g. fsync for tests. */
  settings?: Record<string, string>;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** A connection string for pg and psql (the socket directory in its `host` parameter). */
  readonly url: string;
  /** Whether this process started the server (rather than finding it running). */
  readonly started: boolean;
  /** Releases ownership and stops the server. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresBusy extends Error {
  constructor(dataDir: string, holder: string) {
    super(
      `Deuterium is already running on ${dataDir} (${holder}). Stop it first, or point this one at another DATA_DIR. ` +
        'The CLI works beside a running server.',
    );
    this.name = 'EmbeddedPostgresBusy';
  }
}

export function clusterDirOf(dataDir: string): string {
  return path.join(dataDir, 'postgres');
}

/** Starts (or adopts) the embedded server of dataDir and takes ownership of it. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { server, started } = await ensureRunning(options);
  const owner = new pg.Client({ connectionString: server.url('postgres'), application_name: `deuterium owner: ${options.owner}, pid ${process.pid}` });
  await owner.connect();
  const [{ locked }] = (await owner.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [OWNER_LOCK])).rows;
  if (!locked) {
    const holder = await ownerOf(owner);
    await owner.end();
    throw new EmbeddedPostgresBusy(options.dataDir, holder);
  }
  await createDatabase(owner);
  // A lost owner connection means the server went away under us; the pool's errors say the rest.
  owner.on('error', () => {});
  return {
    url: server.url(EMBEDDED_DATABASE),
    started,
    stop: async () => {
      await owner.end().catch(() => {});
      await server.stop();
    },
  };
}

/**
 * The running embedded server of dataDir, for a command that works beside the server that owns
 * it (the CLI); undefined when none runs.
 */
export async function runningEmbeddedPostgres(dataDir: string): Promise<string | undefined> {
  const binaries = await postgresBinaries();
  const cluster = new Cluster(binaries, dataDir, {});
  return (await cluster.running()) ? cluster.url(EMBEDDED_DATABASE) : undefined;
}

async function ownerOf(client: pg.Client): Promise<string> {
  const rows = (await client.query<{ application_name: string }>(
    `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
    [OWNER_LOCK],
  )).rows;
  return rows[0]?.application_name.replace(/^deuterium owner: /, '') ?? 'another process';
}

async function createDatabase(client: pg.Client): Promise<void> {
  const found = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE])).rows.length > 0;
  if (found) return;
  try {
    await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } catch (error) {
    // Another process that raced us to a fresh cluster created it first.
    if ((error as { code?: string }).code !== '42P04') throw error;
  }
}

async function ensureRunning(options: EmbeddedPostgresOptions): Promise<{ server: Cluster; started: boolean }> {
  const binaries = await postgresBinaries();
  const log = options.log ?? (() => {});
  const cluster = new Cluster(binaries, options.dataDir, options.settings ?? {});
  await cluster.initialise(log);
  if (await cluster.running()) {
    log('adopting the embedded PostgreSQL server already running on this data directory');
    return { server: cluster, started: false };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await cluster.start();
      return { server: cluster, started: true };
    } catch (error) {
      // Two processes started at once: the other one's server is up.
      if (await cluster.running()) return { server: cluster, started: false };
      // After a crash the old server's backends take a moment to exit, and until they have,
      // PostgreSQL refuses to start over the shared memory they still hold.
      if (attempt === START_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** Who the server runs as: PostgreSQL refuses to run as root, so root hands it to `postgres`. */
interface RunAs {
  uid: number;
  gid: number;
}

class Cluster {
  private readonly dir: string;
  private readonly socketDir: string;

  constructor(
    private readonly binaries: PostgresBinaries,
    private readonly dataDir: string,
    private readonly settings: Record<string, string>,
  ) {
    this.dir = clusterDirOf(dataDir);
    this.socketDir = socketDirectory(this.dir);
  }

  url(database: string): string {
    return `postgresql://${SUPERUSER}@localhost:${SOCKET_PORT}/${database}?host=${encodeURIComponent(this.socketDir)}`;
  }

  async initialise(log: (message: string) => void): Promise<void> {
    fs.mkdirSync(this.dataDir, { recursive: true });
    const runAs = await runAsUser();
    if (this.socketDir !== this.dir) prepareDirectory(this.socketDir, runAs);
    if (fs.existsSync(path.join(this.dir, 'PG_VERSION'))) return;
    const building = `${this.dir}.initdb-${process.pid}`;
    fs.rmSync(building, { recursive: true, force: true });
    prepareDirectory(building, runAs);
    log(`initialising the embedded PostgreSQL cluster in ${this.dir}`);
    await run(this.binaries.initdb, [
      `--pgdata=${building}`,
      `--username=${SUPERUSER}`,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
    ], { ...runAs, env: { ...process.env, LC_ALL: 'C' } }).catch((error: Error & { stderr?: string }) => {
      fs.rmSync(building, { recursive: true, force: true });
      throw new Error(`initdb failed: ${error.stderr || error.message}`);
    });
    try {
      fs.renameSync(building, this.dir);
    } catch (error) {
      // A process started at the same moment got its cluster into place first; use that one.
      fs.rmSync(building, { recursive: true, force: true });
      if (!fs.existsSync(path.join(this.dir, 'PG_VERSION'))) throw error;
    }
  }

  async running(): Promise<boolean> {
    const pidFile = path.join(this.dir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return false;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!processAlive(pid)) {
      // PostgreSQL would take a zombie for a live server and refuse to start; a dead one's file is stale either way.
      fs.rmSync(pidFile, { force: true });
      return false;
    }
    const runAs = await runAsUser();
    try {
      await run(this.binaries.pg_ctl, ['status', '-D', this.dir], runAs);
      return true;
    } catch {
      return false;
    }
  }

  async start(): Promise<void> {
    const runAs = await runAsUser();
    const settings: Record<string, string> = {
      listen_addresses: "''",
      unix_socket_directories: `'${this.socketDir}'`,
      unix_socket_permissions: '0700',
      port: String(SOCKET_PORT),
      max_connections: '200',
      ...this.settings,
    };
    const flags = Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(' ');
    const logFile = path.join(this.dir, 'server.log');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(this.binaries.pg_ctl, ['start', '-w', '-t', '120', '-D', this.dir, '-l', logFile, '-o', flags], {
        ...runAs,
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_ALL: 'C' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`the embedded PostgreSQL server did not start (${stderr.trim() || `pg_ctl exit ${code}`}); its log: ${logFile}\n${tail(logFile)}`));
      });
    });
  }

  async stop(): Promise<void> {
    const runAs = await runAsUser();
    await run(this.binaries.pg_ctl, ['stop', '-D', this.dir, '-m', 'fast', '-w', '-t', '60'], runAs).catch(() => {});
  }
}

/**
 * Whether a process runs: a killed postmaster stays a zombie until someone reaps it, and the
 * init of a container may never do so.
 */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc (macOS): the signal's answer is all there is.
    return true;
  }
  // The state follows the command name, which is in parentheses and may itself hold some.
  return stat[stat.lastIndexOf(')') + 2] !== 'Z';
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

/**
 * The socket goes into the cluster directory when its path is short enough; otherwise into a
 * directory of the system's temporary folder named after the cluster (PostgreSQL touches its
 * socket files hourly, so temporary-file cleaners leave them alone).
 */
function socketDirectory(clusterDir: string): string {
  if (`${clusterDir}/.s.PGSQL.${SOCKET_PORT}.lock`.length <= MAX_SOCKET_PATH) return clusterDir;
  const name = `deuterium-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 16)}`;
  return path.join(os.tmpdir(), name);
}

function prepareDirectory(dir: string, runAs: RunAs | Record<string, never>): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ('uid' in runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
}

let runAsCache: Promise<RunAs | Record<string, never>> | undefined;

/** Nothing for an ordinary user; for root, the `postgres` system user, created when missing. */
function runAsUser(): Promise<RunAs | Record<string, never>> {
  runAsCache ??= (async () => {
    if (process.getuid?.() !== 0) return {};
    let found = await lookUpUser(SUPERUSER);
    if (!found) {
      await run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SUPERUSER]).catch((error: Error & { stderr?: string }) => {
        throw new Error(`PostgreSQL cannot run as root and no "${SUPERUSER}" user could be created for it: ${error.stderr || error.message}`);
      });
      found = await lookUpUser(SUPERUSER);
      if (!found) throw new Error(`the "${SUPERUSER}" user was created but cannot be found`);
    }
    return found;
  })();
  return runAsCache;
}

async function lookUpUser(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}
